"""Finding the labels of code lists for the translation catalog (pybabel extract).

Code lists are plain dicts of code -> English label (fieldapp/codes.py, the
paperwork's lists in fieldapp/documents/); the web layer translates a label
when it shows it. This extractor reads those modules without running them and
yields every label of their module-level UPPER_CASE dicts (and of lists
named ..._HEADER: an export's columns), the field
label (fifth argument) of each pick_one/pick_many/clean_text call, and the
text of each Message(...) the module says to people.
Named in babel.cfg; `exclude` lists dicts whose values are not labels.
"""
import ast

LABEL_CALLS = ("pick_one", "pick_many", "clean_text")


def _is_label_dict(node, exclude):
    target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
    return (isinstance(target, ast.Name) and target.id.isupper() and target.id not in exclude
            and (isinstance(node.value, ast.Dict)
                 or (isinstance(node.value, ast.List) and target.id.endswith("_HEADER"))))


def _label_args(tree):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in LABEL_CALLS
                and len(node.args) >= 5 and isinstance(node.args[4], ast.Constant)
                and isinstance(node.args[4].value, str)):
            yield node.args[4].lineno, node.args[4].value
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message"
                and node.args and isinstance(node.args[0], ast.Constant)):
            yield node.args[0].lineno, node.args[0].value


def labels(fileobj, keywords, comment_tags, options):
    """Babel extraction method: (lineno, None, label, []) for each label found."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    exclude = set(options.get("exclude", "").split())
    for node in tree.body:
        if _is_label_dict(node, exclude):
            for value in (node.value.values if isinstance(node.value, ast.Dict) else node.value.elts):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value.lineno, None, value.value, []
    for lineno, text in _label_args(tree):
        yield lineno, None, text, []
