"""Signing in to a board vendor in the browser (OAuth 2.0 authorization code): the loopback callback and the private
token file, shared by MURAL and Miro; each vendor's adapter keeps its own endpoints and wording of scopes."""
