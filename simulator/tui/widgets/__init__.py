"""Small widgets of the interview app."""
