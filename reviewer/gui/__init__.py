"""The PySide6 desktop shell over ``reviewer.core``."""
