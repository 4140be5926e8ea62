"""QMS Generator: a medical-device quality system kept in git."""

__version__ = "0.1.0"
