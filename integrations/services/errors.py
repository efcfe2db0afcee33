"""The error the integration services raise for the person using the page."""


class IntegrationError(Exception):
    """A request the integration cannot honour; the message is fit for the user."""
