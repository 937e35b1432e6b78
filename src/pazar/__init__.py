"""Pazar: a self-hostable commerce platform that speaks the public Akinon APIs."""

__version__ = "0.1.0"
