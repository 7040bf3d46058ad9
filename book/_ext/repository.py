"""A local Sphinx extension: one repository URL drives every button that points at the source.

The URL is ``repository.url`` in ``_config.yml``, or the environment variable
``BOOK_REPOSITORY_URL`` when it is set (the Pages workflow sets it to the repository being
built, so a fork publishes with its own links and changes nothing). With a URL, each chapter
gets the repository and "open issue" buttons and the Binder and Colab launch buttons (the hosts
are ``launch_buttons`` in ``_config.yml``); without one (a local build of an unpublished copy)
it gets none of them rather than dead links. The buttons are plain links: the page requests
nothing from those hosts. The "download .ipynb" button needs no URL and is always there.
"""

from __future__ import annotations

import os
import re

ENVIRONMENT = "BOOK_REPOSITORY_URL"
REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button")
LAUNCH_HOSTS = ("binderhub_url", "colab_url")
#: Binder and Colab open repositories on GitHub: https://github.com/OWNER/NAME.
GITHUB_REPOSITORY = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def repository_url(configured, environ) -> str:
    """The repository's URL: the environment's if set, else the configured one, else ""."""
    url = environ.get(ENVIRONMENT) or configured or ""
    if not isinstance(url, str):
        raise TypeError(f"the repository URL must be a string, got {url!r}")
    url = url.strip().removesuffix(".git").rstrip("/")
    if url and not GITHUB_REPOSITORY.fullmatch(url):
        raise ValueError(f"the repository URL must look like https://github.com/OWNER/NAME "
                         f"(Binder and Colab open GitHub repositories), got {url!r}")
    return url


def with_buttons(theme_options: dict, url: str) -> dict:
    """The theme's options with the repository and launch buttons on for ``url``, or all off."""
    options = dict(theme_options)
    launch = dict(options.get("launch_buttons") or {})
    if url:
        options["repository_url"] = url
    else:
        options.pop("repository_url", None)
        launch.update({host: "" for host in LAUNCH_HOSTS})
    options.update({button: bool(url) for button in REPOSITORY_BUTTONS})
    options["launch_buttons"] = launch
    return options


def set_repository(app, config):
    options = config.html_theme_options
    url = repository_url(options.get("repository_url"), os.environ)
    config.html_theme_options = with_buttons(options, url)


def setup(app):
    app.connect("config-inited", set_repository)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
