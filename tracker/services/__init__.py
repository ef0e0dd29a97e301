"""Services: the only code that touches a Session and commits."""
