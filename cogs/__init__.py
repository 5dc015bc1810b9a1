"""Discord-facing features. Each module here is loaded as an extension at start-up."""
