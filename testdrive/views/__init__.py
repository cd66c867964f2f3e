"""Pages of the test-drive app (calendar and booking; the drive screen; fleet)."""
