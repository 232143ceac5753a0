// Placeholder translation unit until the GUI lands.
