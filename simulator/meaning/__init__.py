"""Meaning: sentence embeddings from the bundled MiniLM model, and key points judged by them."""
