"""The web application (Django 5.2): the assessment cycle, the public portal and the JSON API.

It stores state, enforces the workflow and the permissions, and calls the library for every
computation: no formula lives here.
"""
