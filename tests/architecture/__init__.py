"""Architecture checks of the whole workspace."""
