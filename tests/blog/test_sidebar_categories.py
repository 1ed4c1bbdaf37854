import re

import pytest

from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def sidebar_counts(html):
    """{category name: count shown} from the sidebar's category list."""
    return {
        name: int(count)
        for name, count in re.findall(
            r'<a href="/categorie/[^"]+/">([^<]+)</a> <span class="count">\((\d+)\)', html
        )
    }


def test_a_parent_category_counts_the_articles_of_its_sub_categories(client):
    parent = CategoryFactory(name="Réseaux sociaux")
    child = CategoryFactory(name="LinkedIn", parent=parent)
    grandchild = CategoryFactory(name="Pages entreprise", parent=child)
    ArticleFactory(category=parent)
    ArticleFactory(category=child)
    ArticleFactory.create_batch(2, category=grandchild)
    ArticleFactory(category=grandchild, draft=True)
    CategoryFactory(name="Communauté")

    counts = sidebar_counts(client.get("/").content.decode())

    assert counts == {"Réseaux sociaux": 4, "LinkedIn": 3, "Pages entreprise": 2, "Communauté": 0}
    # The count matches what the category's own page lists.
    response = client.get(parent.get_absolute_url())
    assert response.content.decode().count('<article class="summary') == 4
