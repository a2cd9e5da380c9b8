"""The Textual explorer: screens and widgets that present what the domain computes."""
