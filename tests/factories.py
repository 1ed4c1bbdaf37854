"""factory_boy factories for the project's models."""

import datetime
import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from django_comments_xtd.models import XtdComment
from PIL import Image

from blog.models import Article, AuthorProfile, Category, FurtherReading
from editorial.roles import AUTHOR, EDITOR, MODERATOR, apply_roles


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    password = factory.django.Password("password")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


def role_group(name):
    """The newsroom group ``name``, created first if the database was flushed since migrating."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        apply_roles(group_model=Group, permission_model=Permission)
        group = Group.objects.get(name=name)
    return group


def _join_role(name):
    def join(user, create, extracted, **kwargs):
        if create:
            user.groups.add(role_group(extracted or name))

    return factory.PostGeneration(join)


class AuthorUserFactory(UserFactory):
    """Staff in the Auteur group only (not a superuser): rights come from the group."""

    is_staff = True
    role = _join_role(AUTHOR)

    class Meta:
        skip_postgeneration_save = True


class EditorUserFactory(AuthorUserFactory):
    role = _join_role(EDITOR)


class ModeratorUserFactory(AuthorUserFactory):
    role = _join_role(MODERATOR)


class AuthorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda p: f"{p.user.first_name} {p.user.last_name}")
    bio = "Consultante en stratégie numérique."


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.LazyAttribute(lambda c: slugify(c.name))


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article from yesterday, by an author with a profile."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article numéro {n}")
    slug = factory.LazyAttribute(lambda a: slugify(a.title))
    author = factory.LazyFunction(lambda: AuthorProfileFactory().user)
    category = factory.SubFactory(CategoryFactory)
    excerpt = "Un résumé de l'article."
    body = "<p>Le corps de l'article, avec <a href='https://example.org/'>un lien</a>.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class FurtherReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FurtherReading

    article = factory.SubFactory(ArticleFactory)
    title = "Une lecture complémentaire"
    url = "https://example.org/lecture"


class CommentFactory(factory.django.DjangoModelFactory):
    """A public reader comment on a published article (django-comments-xtd's stock model).

    Pass ``parent_id=<comment pk>`` for a reply: XtdComment.save() threads it.
    """

    class Meta:
        model = XtdComment
        exclude = ["article"]

    article = factory.SubFactory(ArticleFactory)
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Article))
    object_pk = factory.LazyAttribute(lambda c: str(c.article.pk))
    site_id = 1
    user_name = factory.Sequence(lambda n: f"Lectrice {n}")
    user_email = factory.Sequence(lambda n: f"lectrice{n}@example.org")
    comment = factory.Sequence(lambda n: f"Un avis argumenté, numéro {n}.")
    submit_date = factory.LazyFunction(timezone.now)
    is_public = True
    is_removed = False


def image_bytes(width=1600, height=900, *, format="JPEG", color=(200, 60, 40), exif=None, mode="RGB"):
    """A real image made by Pillow, as bytes (no binary fixtures in the repository)."""
    image = Image.new(mode, (width, height), color)
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format, **options)
    return buffer.getvalue()


def image_upload(name="photo.jpg", **kwargs):
    """An uploaded image file, as a form receives it."""
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type=content_type)


class MediaImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "medialib.MediaImage"

    file = factory.LazyFunction(lambda: ContentFile(image_bytes(800, 600), name="illustration.jpg"))
    alt_text = "Une illustration"
    uploaded_by = factory.SubFactory(StaffFactory)
