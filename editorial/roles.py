"""The newsroom's roles, as auth groups and the permissions each one holds.

Group names are data that editors see in the admin; they stay in French, the
site's language. The same definition feeds the data migration and the
``setup_roles`` command, so a fresh database and an old one end up alike.
"""

AUTHOR = "Auteur"
EDITOR = "Éditeur"
MODERATOR = "Modérateur"


def _crud(app_label, model, actions=("add", "change", "delete", "view")):
    return [f"{app_label}.{action}_{model}" for action in actions]


COMMENT_PERMISSIONS = [
    *_crud("django_comments", "comment", ("change", "delete", "view")),
    "django_comments.can_moderate",
    *_crud("django_comments_xtd", "xtdcomment", ("change", "delete", "view")),
    "django_comments_xtd.can_moderate",
    *_crud("django_comments", "commentflag", ("change", "delete", "view")),
]

ROLES = {
    # Writes and edits their own articles and submits them; the admin narrows
    # "change" and "delete" to the author's own unpublished articles.
    AUTHOR: [
        *_crud("blog", "article"),
        *_crud("blog", "furtherreading"),
        "editorial.view_articlerevision",
        "blog.view_category",
        "taggit.view_tag",
        # Upload images from the editor and pick from the media library.
        "medialib.add_mediaimage",
        "medialib.view_mediaimage",
    ],
    # Reviews, publishes and schedules every article; keeps the categories,
    # keywords and pages in order. Accounts are the superusers' alone.
    EDITOR: [
        *_crud("blog", "article"),
        "blog.publish_article",
        *_crud("blog", "furtherreading"),
        "editorial.view_articlerevision",
        *_crud("blog", "category"),
        "blog.view_authorprofile",
        *_crud("taggit", "tag"),
        *_crud("flatpages", "flatpage"),
        *_crud("medialib", "mediaimage"),
        # The audience dashboard (admin → Audience); granted by audience's 0002 migration.
        "audience.view_dailyviews",
    ],
    MODERATOR: COMMENT_PERMISSIONS,
}


def apply_roles(*, group_model, permission_model):
    """Create the groups and set exactly the permissions listed above.

    Returns ``(created_group_names, missing_permissions)``; a permission is
    missing when its app is not installed or not migrated yet. Running it
    again changes nothing, and it also takes back permissions that were
    added to a group by hand.
    """
    created, missing = [], []
    for name, perms in ROLES.items():
        group, was_created = group_model.objects.get_or_create(name=name)
        if was_created:
            created.append(name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            found = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None:
                missing.append(perm)
            else:
                wanted.append(found)
        group.permissions.set(wanted)
    return created, sorted(set(missing))


def grant_role_permissions(*, group_model, permission_model, app_label):
    """Give each role's group the permissions of ``app_label`` that ROLES lists for it.

    For the data migration of an app whose permissions did not exist yet when
    the roles were first applied: it creates a missing group, adds what is
    listed and, unlike ``apply_roles``, takes nothing back.
    """
    for name, perms in ROLES.items():
        codenames = [perm.split(".", 1)[1] for perm in perms if perm.split(".", 1)[0] == app_label]
        if not codenames:
            continue
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
