"""Use cases over the store, sources and formats: plain functions that never print, prompt or exit."""
