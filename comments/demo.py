"""Demo discussions: realistic French threads under the demo articles.

``create_demo_discussions()`` is called by the demo-content command. It writes
stock ``XtdComment`` rows through their own ``save()`` (so threading data is
right) and is idempotent: a comment already there (same article, address and
text) is not written again.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from blog.models import Article, author_display_name

from . import selectors

AUTHOR = "__author__"


@dataclass
class Remark:
    """One comment of a demo thread; ``name == AUTHOR`` means the article's author answers."""

    name: str
    text: str
    replies: list["Remark"] = field(default_factory=list)
    url: str = ""
    pending: bool = False
    followup: bool = False

    @property
    def email(self):
        return "".join(ch for ch in self.name.lower() if ch.isalnum()) + "@exemple.fr"


THREADS = [
    [
        Remark(
            "Sophie Marchand",
            "Article très juste. Dans notre PME, on a longtemps publié « pour être présents » "
            "sans savoir ce qu'on attendait des réseaux.\n\nDepuis qu'on mesure les demandes de "
            "devis venues de LinkedIn, les discussions internes sont beaucoup plus sereines.",
            followup=True,
            replies=[
                Remark(
                    AUTHOR,
                    "Merci Sophie, c'est exactement le déclic que je voulais décrire : un objectif "
                    "mesurable change la conversation. Vous suivez ces demandes dans votre CRM ?",
                    replies=[
                        Remark(
                            "Sophie Marchand",
                            "Oui, avec un simple champ « source » rempli par les commerciaux. "
                            "Pas parfait, mais suffisant pour voir les tendances.",
                            replies=[
                                Remark(
                                    "Karim Benali",
                                    "Même méthode chez nous ; on y a ajouté des liens suivis "
                                    "(paramètres UTM) pour ne pas dépendre de la mémoire de chacun.",
                                ),
                            ],
                        ),
                    ],
                ),
                Remark(
                    "Julien Roux",
                    "Attention quand même à ne pas tout réduire aux devis : une partie de la valeur "
                    "est dans la notoriété, plus difficile à chiffrer.",
                    url="https://julien-roux.example",
                ),
            ],
        ),
        Remark(
            "Claire Dubois",
            "Je ne suis pas d'accord sur la fréquence de publication : trois posts par semaine, "
            "c'est intenable pour une association de bénévoles.",
            replies=[
                Remark(
                    AUTHOR,
                    "C'est un bon point. Pour une petite structure, mieux vaut un rendez-vous "
                    "régulier par semaine, tenu dans la durée, qu'un rythme qu'on abandonne "
                    "au bout d'un mois.",
                ),
            ],
        ),
        Remark(
            "Marc Lefèvre",
            "Quelqu'un a-t-il des retours sur Mastodon pour une collectivité ? On hésite à ouvrir un compte.",
            pending=True,
        ),
    ],
    [
        Remark(
            "Nathalie Perrin",
            "La partie sur la modération m'a parlé. On a eu notre premier « bad buzz » l'an dernier, "
            "et personne ne savait qui devait répondre.",
            followup=True,
            replies=[
                Remark(
                    "Thomas Garnier",
                    "Une charte de réponse validée à l'avance nous a sauvés dans un cas similaire : "
                    "qui répond, en combien de temps, et quand on passe au téléphone.",
                    replies=[
                        Remark(
                            AUTHOR,
                            "Tout à fait. Et il faut la relire chaque année : les équipes changent, "
                            "les plateformes aussi.",
                        ),
                    ],
                ),
            ],
        ),
        Remark(
            "Élodie Fontaine",
            "Merci pour les exemples concrets, c'est rare. Le lien vers l'étude citée ne fonctionne "
            "plus chez moi, est-il à jour ?",
            replies=[
                Remark(AUTHOR, "Bien vu, je viens de le corriger. Merci de l'avoir signalé !"),
            ],
        ),
        Remark(
            "Promo Express",
            "Super article !! Découvrez nos offres sur https://promo.example et https://promo2.example "
            "et https://promo3.example",
            pending=True,
        ),
    ],
    [
        Remark(
            "Antoine Mercier",
            "Je trouve que l'on parle beaucoup des outils et trop peu du temps humain nécessaire. "
            "Animer une communauté, c'est un vrai métier.",
            followup=True,
            replies=[
                Remark(
                    "Camille Bernard",
                    "Entièrement d'accord. Chez nous, le poste a été créé après deux ans de "
                    "« on s'en occupe entre deux réunions ».",
                    replies=[
                        Remark(
                            "Antoine Mercier",
                            "Deux ans, c'est presque rapide ! Comment avez-vous convaincu la direction ?",
                            replies=[
                                Remark(
                                    "Camille Bernard",
                                    "Avec un tableau simple : le temps passé chaque semaine, et les "
                                    "demandes clients traitées en ligne plutôt qu'au téléphone.",
                                ),
                            ],
                        ),
                    ],
                ),
                Remark(
                    AUTHOR,
                    "C'est le sujet de mon prochain article, justement. Vos témoignages m'intéressent.",
                ),
            ],
        ),
        Remark(
            "Lucie Moreau",
            "Petite question : vos chiffres concernent-ils la France uniquement ou l'Europe ?",
            pending=True,
        ),
    ],
]


def create_demo_discussions(*, articles, stdout=None) -> int:
    """Write the demo threads under the given published articles; returns how many comments were added.

    Threads rotate over the articles; pending comments stay pending (they show
    in the moderation queue); replies of the article's author are posted as
    that user, so the page marks them. Running it again adds nothing.
    """
    created = 0
    with transaction.atomic():
        for index, article in enumerate(articles):
            if not isinstance(article, Article) or not article.is_public:
                continue
            thread = THREADS[index % len(THREADS)]
            start = article.published_at + datetime.timedelta(hours=2)
            clock = _Clock(start)
            for remark in thread:
                created += _write(remark, article=article, parent=None, clock=clock)
    if stdout is not None:
        stdout.write(f"Demo discussions: {created} comments added.\n")
    return created


class _Clock:
    """Dates after the article's publication, never in the future."""

    def __init__(self, start):
        self.current = start
        # A recent article gets a livelier discussion than one from last year.
        room = (timezone.now() - start) / 12
        self.step = max(min(datetime.timedelta(hours=5, minutes=17), room), datetime.timedelta(minutes=1))

    def tick(self):
        self.current += self.step
        return min(self.current, timezone.now() - datetime.timedelta(minutes=1))


def _write(remark: Remark, *, article: Article, parent: XtdComment | None, clock: _Clock) -> int:
    is_author = remark.name == AUTHOR
    name = author_display_name(article.author) if is_author else remark.name
    email = (article.author.email or remark.email) if is_author else remark.email
    submit_date = clock.tick()
    comment = selectors.article_comments(article).filter(user_email=email, comment=remark.text).first()
    created = 0
    if comment is None:
        comment = XtdComment(
            content_type=selectors.article_content_type(),
            object_pk=str(article.pk),
            site_id=settings.SITE_ID,
            user=article.author if is_author else None,
            user_name=name[:50],
            user_email=email,
            user_url=remark.url,
            comment=remark.text,
            submit_date=submit_date,
            is_public=not remark.pending,
            is_removed=False,
            followup=remark.followup,
            parent_id=parent.pk if parent else 0,
        )
        comment.save()
        created = 1
    if comment.is_public:
        for reply in remark.replies:
            created += _write(reply, article=article, parent=comment, clock=clock)
    return created
