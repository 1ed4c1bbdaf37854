"""factory_boy factories for the project's models."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Article, AuthorProfile, Category, FurtherReading


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


class ArticleCommentFactory(factory.django.DjangoModelFactory):
    """A public reader's comment on an article (django-comments-xtd's model)."""

    class Meta:
        model = "django_comments_xtd.XtdComment"

    content_object = factory.SubFactory(ArticleFactory)
    site_id = 1
    user_name = "Lectrice"
    user_email = "lectrice@example.org"
    comment = "Merci pour cet article."
    submit_date = factory.LazyFunction(timezone.now)
    is_public = True
