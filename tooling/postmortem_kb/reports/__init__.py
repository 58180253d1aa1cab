"""Renderers for every result, chosen by name: text for people, json for scripts,
markdown and github where they fit."""
