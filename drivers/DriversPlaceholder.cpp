// Placeholder translation unit until the first driver lands (issue 4).
