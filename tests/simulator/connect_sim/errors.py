"""Connect-style API errors: the codes the simulator uses and their HTTP status.

Connect answers every failure with ``{"code": int, "error": str, "payload": null}``.
The numbers and statuses follow Connect's published error-code table; the messages
are paraphrased and only need to be close to the server's defaults.
"""

from __future__ import annotations

from flask import Response, jsonify

# code -> (HTTP status, default message)
ERROR_CODES: dict[int, tuple[int, str]] = {
    1: (500, "An internal failure occurred."),
    2: (404, "The requested method or endpoint is not supported."),
    3: (400, "The requested object ID is invalid."),
    4: (404, "The requested object does not exist."),
    5: (400, "Content names must be 3 to 64 letters, digits, dashes and underscores."),
    6: (400, "The password is not strong enough. Please try again."),
    7: (400, "The requested username is not permitted."),
    8: (409, "The requested username is already in use. Usernames are case sensitive. "
             "Please make sure you are using the correct case."),
    9: (404, "The requested user could not be found."),
    12: (400, "A required parameter is missing."),
    13: (400, "The requested range is invalid."),
    14: (400, "Group name must be less than 4096 alphanumeric characters."),
    15: (409, "The requested group name is already in use."),
    16: (409, "The user is already a member of the group."),
    17: (404, "The requested item could not be removed because it does not exist."),
    21: (403, "You don't have permission to change this item."),
    22: (403, "You don't have permission to perform this operation."),
    23: (403, "You don't have permission to give the user this role."),
    24: (401, "The requested operation requires authentication."),
    25: (400, "The parameter is invalid."),
    26: (409, "An object with that name already exists."),
    30: (401, "Invalid login."),
    33: (403, "This user cannot be a collaborator: they may not publish content."),
    34: (400, "The owner of the content cannot be added as a collaborator or viewer."),
    49: (403, "You don't have permission to lock/unlock this user."),
    50: (403, "This user is locked."),
    60: (400, "This email address is not allowed to log in to this server."),
    61: (400, "You cannot change the role of the only remaining administrator."),
    66: (400, "You cannot assign ownership to another user."),
    76: (400, "A user with the same Unique ID already exists."),
    87: (400, "The request body cannot be parsed."),
    95: (403, "This API does not allow the current authentication type."),
    107: (400, "That username is not allowed because it is prohibited by policy."),
    112: (400, "The provided user role is not recognized."),
    115: (400, "The provided status is not recognized."),
    117: (400, "Unknown access type."),
    119: (400, "The authentication provider does not support creating records from a "
               "retrieved ticket. POST new content instead."),
    120: (400, "The authentication provider does not support creating records from POST "
               "content. PUT a retrieved ticket instead."),
    121: (400, "The request JSON is invalid."),
    122: (400, "Content titles must be 3 to 1024 characters long."),
    123: (400, "Content descriptions may be at most 4096 characters long."),
    127: (400, "The temp_ticket is invalid."),
    128: (400, "The email address cannot be blank."),
    129: (400, "The user unique ID cannot be blank."),
    130: (400, "The group unique ID cannot be blank."),
    131: (400, "A group with the same unique ID already exists."),
    132: (400, "The configured provider cannot access this endpoint."),
    152: (400, "The principal type must be 'user' or 'group'."),
    153: (404, "The requested group could not be found."),
    154: (409, "The user is already in the content's permission list."),
    155: (409, "The group is already in the content's permission list."),
    156: (403, "This user cannot own content: they may not publish content."),
}


class APIError(Exception):
    """Raised anywhere in a request to answer with a Connect error body."""

    def __init__(self, code: int, message: str | None = None, status: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        default_status, default_message = ERROR_CODES[code]
        self.code = code
        self.status = status or default_status
        self.message = message or default_message
        self.headers = headers or {}
        super().__init__(f"{self.status} code {code}: {self.message}")

    def to_response(self) -> Response:
        response = jsonify({"code": self.code, "error": self.message, "payload": None})
        response.status_code = self.status
        response.headers.update(self.headers)
        return response
