"""The Stateyard web app: models, services, API, websockets, tasks and pages."""
