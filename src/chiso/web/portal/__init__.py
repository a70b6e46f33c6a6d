"""The public portal: published results for everyone, no login."""
