"""Administrative units: the provinces before and after the 1 July 2025 reorganisation."""
