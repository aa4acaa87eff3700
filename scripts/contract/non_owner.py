"""Schemathesis hooks for the fuzz pass as an engineer who owns nothing.

Path ids of training jobs and deployments are those of records another
subject owns (LLMOPS_FOREIGN_JOB, LLMOPS_FOREIGN_DEPLOYMENT), and model
names that of a model this user does not own (LLMOPS_FOREIGN_MODEL), so the
changes below must all be refused: any 2xx among them fails the run.
"""
import os
import re

import schemathesis

FOREIGN = {
    "training-jobs": os.environ["LLMOPS_FOREIGN_JOB"],
    "deployments": os.environ["LLMOPS_FOREIGN_DEPLOYMENT"],
}
FOREIGN_MODEL = os.environ["LLMOPS_FOREIGN_MODEL"]

# (method, path template) of the changes this user may not make.
FORBIDDEN = {
    ("POST", "/training-jobs/{id}/cancel"),
    ("POST", "/training-jobs/{id}/retry"),
    ("PUT", "/deployments/{id}"),
    ("POST", "/deployments/{id}/promote"),
    ("POST", "/deployments/{id}/rollback"),
    ("POST", "/deployments/{id}/retry"),
    ("PUT", "/models/{name}/aliases/{alias}"),
    ("POST", "/revalidate"),
}


def _template(operation):
    # the operation's path template, relative to the API's base path
    return re.sub(r"^.*?/v1(?=/)", "", operation.path)


@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    if not path_parameters or ctx.operation is None:
        return path_parameters
    template = _template(ctx.operation)
    collection = template.split("/")[1]
    if "id" in path_parameters and collection in FOREIGN:
        path_parameters["id"] = FOREIGN[collection]
    if "name" in path_parameters and collection == "models":
        path_parameters["name"] = FOREIGN_MODEL
    return path_parameters


@schemathesis.check
def not_allowed_to_non_owner(ctx, response, case):
    """A change the user may not make is never a 2xx."""
    key = (case.method.upper(), _template(case.operation))
    if key in FORBIDDEN and 200 <= response.status_code < 300:
        raise AssertionError(
            f"{key[0]} {case.formatted_path} answered {response.status_code} "
            "to a user who owns nothing and is no admin"
        )
