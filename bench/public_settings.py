"""`make run`'s settings (config.settings.local) with one URL more: the bare view bench/public.py
measures every public page against. Used only by that benchmark."""

from config.settings.local import *  # noqa: F403

ROOT_URLCONF = "public_urls"
