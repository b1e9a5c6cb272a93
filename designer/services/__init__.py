"""Services: every business rule of the web app, named ``<entity>_<action>``."""
