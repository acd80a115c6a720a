"""A numbered migration's module, to run its steps in a test on a database
that holds what the migration meets."""
import importlib.util

from fieldapp.db import migrations_folder


def migration(filename):
    """The module of migrations/<filename> (e.g. "0420_one_amendment_per_contact.py")."""
    spec = importlib.util.spec_from_file_location(filename[:-3], f"{migrations_folder()}/{filename}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
