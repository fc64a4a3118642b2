"""The top-level screens (app modes) and dialogs of hamstring."""
