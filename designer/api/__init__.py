"""The REST API (Django REST framework): thin views over services."""
