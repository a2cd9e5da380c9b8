"""Small widgets and renderables the screens share."""
