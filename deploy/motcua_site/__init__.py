"""The served site as deploy/up runs it: the project's settings plus what only a deployment needs."""
