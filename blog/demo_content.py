"""The demo blog's content: authors, categories, keywords, articles and pages.

Plain data, read by the ``seed_demo`` command. The text is in French because the
demo shows a French blog; it is content, not interface, so it is not marked for
translation. Every author, category, keyword, article and page is identified by
its username, slug, name or address, which is how the command finds it again
(to skip it when it already exists, or to remove it with ``--clear``).

Articles are listed newest first. ``days_ago`` places each one relative to the
moment the command runs, so the demo always has recent articles; a negative
value schedules the article in the future. ``state`` is one of ``published``,
``scheduled``, ``draft`` or ``review``.
"""

AUTHORS = [
    {
        "username": "claire.morel",
        "first_name": "Claire",
        "last_name": "Morel",
        "display_name": "Claire Morel",
        "bio": (
            "Consultante en stratégie social media depuis dix ans, ancienne community manager "
            "d'un réseau de librairies. Elle accompagne les marques qui veulent parler avec leur "
            "communauté plutôt qu'à elle."
        ),
        "website": "https://claire-morel.example.org/",
    },
    {
        "username": "julien.bertrand",
        "first_name": "Julien",
        "last_name": "Bertrand",
        "display_name": "Julien Bertrand",
        "bio": (
            "Responsable marketing dans une PME industrielle, il teste sur LinkedIn ce que le "
            "B2B peut tirer des réseaux sociaux, chiffres à l'appui."
        ),
        "website": "https://julien-bertrand.example.com/",
    },
    {
        "username": "sophie.nguyen",
        "first_name": "Sophie",
        "last_name": "Nguyen",
        "display_name": "Sophie Nguyen",
        "bio": (
            "Analyste de données passée par une agence média. Elle aime les tableaux de bord "
            "sobres et les indicateurs qui servent à décider."
        ),
        "website": "https://sophie-nguyen.example.net/",
    },
    {
        "username": "karim.haddad",
        "first_name": "Karim",
        "last_name": "Haddad",
        "display_name": "Karim Haddad",
        "bio": (
            "Ancien journaliste, aujourd'hui conseil en communication de crise et en "
            "e-réputation pour des collectivités et des entreprises de services."
        ),
        "website": "https://karim-haddad.example.org/",
    },
]

# Parents come before their children.
CATEGORIES = [
    {
        "slug": "reseaux-sociaux",
        "name": "Réseaux sociaux",
        "parent": None,
        "description": "Les plateformes une par une : leurs usages, leurs codes et ce qui y fonctionne.",
    },
    {
        "slug": "facebook",
        "name": "Facebook",
        "parent": "reseaux-sociaux",
        "description": "Pages, groupes et publicité sur le réseau le plus large.",
    },
    {
        "slug": "linkedin",
        "name": "LinkedIn",
        "parent": "reseaux-sociaux",
        "description": "Le réseau professionnel : marque personnelle, B2B et social selling.",
    },
    {
        "slug": "instagram",
        "name": "Instagram",
        "parent": "reseaux-sociaux",
        "description": "Images, carrousels, stories et formats courts.",
    },
    {
        "slug": "tiktok",
        "name": "TikTok",
        "parent": "reseaux-sociaux",
        "description": "La vidéo courte et ses tendances, vues du côté des marques.",
    },
    {
        "slug": "strategie-digitale",
        "name": "Stratégie digitale",
        "parent": None,
        "description": "Objectifs, organisation et planification de la présence en ligne.",
    },
    {
        "slug": "marque-employeur",
        "name": "Marque employeur",
        "parent": "strategie-digitale",
        "description": "Recruter et fidéliser grâce à ce que l'entreprise montre d'elle-même.",
    },
    {
        "slug": "marketing-de-contenu",
        "name": "Marketing de contenu",
        "parent": "strategie-digitale",
        "description": "Articles, vidéos, newsletters et podcasts qui servent un objectif.",
    },
    {
        "slug": "influence",
        "name": "Influence",
        "parent": "strategie-digitale",
        "description": "Travailler avec des créateurs de contenu, dans les règles.",
    },
    {
        "slug": "communaute",
        "name": "Communauté",
        "parent": None,
        "description": "Animer, modérer et faire grandir une communauté en ligne.",
    },
    {
        "slug": "e-reputation",
        "name": "E-réputation",
        "parent": None,
        "description": "Ce que l'on dit de vous en ligne, et comment y répondre.",
    },
    {
        "slug": "communication-de-crise",
        "name": "Communication de crise",
        "parent": "e-reputation",
        "description": "Bad buzz, polémiques et incidents : les bons gestes au bon moment.",
    },
    {
        "slug": "veille-et-outils",
        "name": "Veille et outils",
        "parent": None,
        "description": "Surveiller son secteur et choisir ses outils sans s'y perdre.",
    },
    {
        "slug": "mesure-et-analytics",
        "name": "Mesure et analytics",
        "parent": "veille-et-outils",
        "description": "Indicateurs, tableaux de bord et attribution.",
    },
]

TAGS = [
    "community management",
    "LinkedIn",
    "B2B",
    "e-réputation",
    "communication de crise",
    "influence",
    "créateurs de contenu",
    "KPI",
    "analytics",
    "marketing de contenu",
    "ligne éditoriale",
    "marque employeur",
    "employee advocacy",
    "Facebook",
    "Instagram",
    "TikTok",
    "vidéo",
    "veille",
    "outils",
    "modération",
    "social selling",
    "IA générative",
    "avis clients",
    "newsletter",
    "RGPD",
    "publicité",
    "accessibilité",
    "podcast",
    "réglementation",
]

FLATPAGES = [
    {
        "url": "/a-propos/",
        "title": "À propos",
        "content": """<p><strong>Digital et médias sociaux</strong> décrypte les tendances et les stratégies
du numérique pour celles et ceux qui en font leur métier : community managers, chargés de communication,
responsables marketing, dirigeants de petites structures.</p>
<h2>Ce que vous trouverez ici</h2>
<ul>
<li>des méthodes concrètes pour animer une communauté et construire une ligne éditoriale ;</li>
<li>des analyses des plateformes, de leurs évolutions et de ce qu'elles changent pour les marques ;</li>
<li>des retours d'expérience sur la mesure, l'influence, l'e-réputation et la gestion de crise.</li>
</ul>
<h2>Qui écrit</h2>
<p>Quatre praticiens, qui publient sous leur nom et répondent aux commentaires. Chaque article
indique son auteur ; sa page présente son parcours et ses autres textes.</p>
<p>Une question, une idée de sujet ? Écrivez-nous à
<a href="mailto:redaction@example.org">redaction@example.org</a>.</p>""",
    },
    {
        "url": "/mentions-legales/",
        "title": "Mentions légales",
        "content": """<p>Ce site est un site de démonstration : les personnes et les coordonnées qui
suivent sont fictives.</p>
<h2>Éditeur</h2>
<p>Digital et médias sociaux, association fictive, 1 rue de l'Exemple, 75000 Paris.<br>
Directrice de la publication : Claire Morel.<br>
Contact : <a href="mailto:redaction@example.org">redaction@example.org</a>.</p>
<h2>Hébergement</h2>
<p>Hébergeur Exemple SAS, 2 avenue des Serveurs, 69000 Lyon.</p>
<h2>Données personnelles</h2>
<p>Les commentaires conservent le nom et l'adresse électronique que vous saisissez, uniquement pour
afficher et modérer la discussion. Vous pouvez demander leur suppression à tout moment à l'adresse
ci-dessus. Pour en savoir plus sur vos droits, consultez le site de la
<a href="https://www.cnil.fr/">CNIL</a>.</p>
<h2>Propriété intellectuelle</h2>
<p>Les textes publiés sur ce site appartiennent à leurs auteurs. Toute reproduction intégrale
demande leur accord ; les courtes citations avec lien vers l'article sont les bienvenues.</p>""",
    },
]

ARTICLES = [
    {
        "slug": "bilan-annee-cinq-tendances-medias-sociaux",
        "title": "Bilan de l'année : cinq tendances qui ont marqué les médias sociaux",
        "state": "scheduled",
        "days_ago": -3,
        "author": "claire.morel",
        "category": "strategie-digitale",
        "tags": ["community management", "vidéo", "IA générative", "créateurs de contenu"],
        "excerpt": (
            "Recherche sociale, communautés privées, IA dans les coulisses : ce que l'année a "
            "changé pour celles et ceux qui animent des comptes de marque."
        ),
        "body": """<p>Chaque fin d'année apporte son lot de listes de tendances. Celle-ci se limite à ce que
nous avons réellement vu changer dans le travail quotidien des équipes, pas aux annonces des plateformes.</p>
<h2>1. Les réseaux sont devenus des moteurs de recherche</h2>
<p>Une part croissante des moins de trente ans cherche un restaurant, un produit ou un tutoriel directement
sur TikTok ou Instagram. Conséquence : les légendes, les sous-titres et les mots prononcés dans les vidéos
comptent autant que l'image. On écrit de nouveau pour être trouvé.</p>
<h2>2. Les conversations migrent vers des espaces fermés</h2>
<p>Groupes privés, canaux de diffusion, serveurs Discord : l'engagement se déplace là où les algorithmes
ne trient pas tout. Les marques y sont invitées, pas chez elles.</p>
<h2>3. L'IA générative est partout… en coulisses</h2>
<ul>
<li>pour décliner un texte en plusieurs formats ;</li>
<li>pour résumer des centaines de commentaires ;</li>
<li>rarement pour répondre seule aux internautes, et c'est tant mieux.</li>
</ul>
<h2>4 et 5. Moins de comptes, plus de régularité</h2>
<p>Les équipes qui s'en sortent le mieux ont fermé des comptes dormants pour se concentrer sur deux ou trois
plateformes, avec un rythme tenable. La constance bat la présence partout.</p>
<p>Pour suivre ces évolutions au fil des mois, notre <a href="https://example.org/veille-mensuelle">veille
mensuelle</a> rassemble les annonces qui comptent vraiment.</p>""",
        "further_reading": [],
    },
    {
        "slug": "threads-bluesky-mastodon-faut-il-etre-partout",
        "title": "Threads, Bluesky, Mastodon : faut-il ouvrir un compte partout ?",
        "state": "draft",
        "days_ago": None,
        "author": "sophie.nguyen",
        "category": "reseaux-sociaux",
        "tags": ["veille", "community management"],
        "excerpt": "Trois questions à se poser avant de réserver son nom sur le dernier réseau à la mode.",
        "body": """<p>À chaque nouveau réseau, la même tentation : réserver son nom « au cas où ». Avant de le
faire, trois questions suffisent.</p>
<h2>Votre public y est-il déjà ?</h2>
<p>Regardez qui, dans votre secteur, y publie et qui y répond. Un réseau vide de vos interlocuteurs ne vaut
pas l'effort, aussi prometteur soit-il.</p>
<h2>Pouvez-vous y tenir un rythme ?</h2>
<p>Un compte ouvert puis abandonné envoie un signal pire que l'absence. Avant de vous lancer, estimez :</p>
<ul>
<li>le nombre de publications par semaine que l'équipe peut vraiment produire ;</li>
<li>le temps de réponse aux commentaires que vous pouvez garantir ;</li>
<li>qui prendra le relais pendant les congés.</li>
</ul>
<h2>Qu'y apporterez-vous de différent ?</h2>
<p>Republier à l'identique ce qui part ailleurs ne crée pas de communauté.</p>
<p>Pour comprendre le fonctionnement décentralisé de certains de ces réseaux, la page
<a href="https://fr.wikipedia.org/wiki/Fediverse">Fediverse</a>
de Wikipédia est un bon point de départ.</p>""",
        "further_reading": [],
    },
    {
        "slug": "podcast-de-marque-combien-episodes-avant-de-juger",
        "title": "Podcast de marque : combien d'épisodes avant de juger ?",
        "state": "review",
        "days_ago": None,
        "author": "julien.bertrand",
        "category": "marketing-de-contenu",
        "tags": ["podcast", "marketing de contenu", "KPI"],
        "excerpt": "Un podcast se juge sur une saison, pas sur un épisode : comment fixer le bon horizon.",
        "body": """<p>Lancer un podcast de marque demande du temps, et la tentation d'arrêter après trois
épisodes peu écoutés est forte. Voici comment se donner un horizon réaliste.</p>
<h2>Penser en saisons</h2>
<p>Annoncer une saison de huit à dix épisodes fixe un engagement clair pour l'équipe comme pour les
auditeurs, et un moment naturel pour faire le bilan.</p>
<h2>Choisir les bons indicateurs</h2>
<ul>
<li>le taux d'écoute complète plutôt que le nombre de téléchargements ;</li>
<li>les abonnements gagnés d'un épisode à l'autre ;</li>
<li>les mentions du podcast par les clients et les candidats.</li>
</ul>
<p>Pour la partie technique, notre <a href="https://example.com/podcast-materiel">guide du matériel
d'enregistrement</a> recense l'essentiel pour débuter à petit budget.</p>""",
        "further_reading": [],
    },
    {
        "slug": "community-management-sept-reflexes-communaute-qui-dure",
        "title": "Community management : sept réflexes pour une communauté qui dure",
        "state": "published",
        "days_ago": 1,
        "featured": True,
        "author": "claire.morel",
        "category": "communaute",
        "tags": ["community management", "modération", "ligne éditoriale"],
        "excerpt": (
            "Une communauté ne se décrète pas : elle se construit message après message. Sept "
            "habitudes simples qui font la différence sur la durée."
        ),
        "body": """<p>On confond souvent audience et communauté. Une audience regarde ; une communauté
répond, discute, revient et finit par parler de vous sans vous. Passer de l'une à l'autre prend du temps,
mais quelques réflexes accélèrent nettement les choses.</p>
<h2>Répondre vite, et surtout répondre vraiment</h2>
<p>Un commentaire laissé sans réponse pendant trois jours dit à tout le monde que personne n'écoute. À
l'inverse, une réponse rapide mais générique (« Merci pour votre retour ! ») ne vaut guère mieux. Prenez le
temps de reprendre un mot de la personne, de poser une question, de renvoyer vers une ressource utile.</p>
<h2>Donner la parole avant de la prendre</h2>
<p>Les publications qui fonctionnent le mieux sont souvent celles qui demandent quelque chose : un avis, une
astuce, une photo. Elles transforment les lecteurs en contributeurs.</p>
<ul>
<li>terminer un post par une question ouverte, pas par « Qu'en pensez-vous ? » ;</li>
<li>mettre en avant chaque mois les meilleures contributions des membres ;</li>
<li>remercier publiquement celles et ceux qui aident les autres.</li>
</ul>
<h2>Fixer des règles… et les appliquer</h2>
<p>Une charte claire protège la discussion. Elle n'a d'effet que si elle est appliquée avec constance, y
compris envers les membres les plus actifs.</p>
<blockquote><p>Une communauté se juge moins au nombre de ses membres qu'à la façon dont ils se parlent
entre eux.</p></blockquote>
<h2>Mesurer ce qui compte</h2>
<p>Le nombre d'abonnés flatte, mais le taux de réponse, la part de membres qui reviennent et le nombre de
conversations entre membres disent bien plus de la santé d'une communauté. Pour aller plus loin, notre
article sur <a href="https://example.org/kpi-reseaux-sociaux">les indicateurs sociaux</a> détaille une
méthode simple.</p>""",
        "further_reading": [
            (
                "Gestionnaire de communauté, sur Wikipédia",
                "https://fr.wikipedia.org/wiki/Gestionnaire_de_communauté",
            ),
            ("Modèle de charte de communauté à adapter", "https://example.org/ressources/charte-communaute"),
        ],
    },
    {
        "slug": "linkedin-b2b-page-entreprise-canal-affaires",
        "title": "LinkedIn en B2B : faire d'une page entreprise un vrai canal d'affaires",
        "state": "published",
        "days_ago": 4,
        "author": "julien.bertrand",
        "category": "linkedin",
        "tags": ["LinkedIn", "B2B", "employee advocacy", "marketing de contenu"],
        "excerpt": (
            "La page entreprise seule plafonne vite. Couplée aux profils des salariés et à une ligne "
            "éditoriale utile, elle devient un levier commercial mesurable."
        ),
        "body": """<p>Dans la plupart des PME industrielles, la page LinkedIn sert de vitrine figée : un logo,
quelques offres d'emploi, une photo de salon par trimestre. Pourtant, c'est sur ce réseau que se forment
une bonne partie des premières impressions entre acheteurs et fournisseurs.</p>
<h2>La page ne suffit pas : les personnes portent la marque</h2>
<p>Les publications des pages entreprise touchent en moyenne bien moins de monde que celles des personnes.
Le bon schéma consiste à faire de la page une base de contenus que les salariés reprennent, commentent et
enrichissent de leur propre expérience.</p>
<h2>Une ligne éditoriale utile à l'acheteur</h2>
<p>Vos clients ne cherchent pas vos communiqués, ils cherchent des réponses à leurs problèmes. Trois
familles de contenus fonctionnent particulièrement bien :</p>
<ul>
<li>les retours d'expérience chiffrés (« comment ce client a réduit ses arrêts de ligne ») ;</li>
<li>les coulisses : un atelier, un test qualité, une équipe au travail ;</li>
<li>les décryptages de normes ou de réglementations qui touchent votre secteur.</li>
</ul>
<h2>Relier les publications au pipeline</h2>
<p>Ajoutez des paramètres de suivi à vos liens, créez une page d'atterrissage dédiée et demandez
systématiquement aux nouveaux prospects comment ils vous ont connus. Au bout de six mois, vous saurez si
LinkedIn vous apporte des rendez-vous ou seulement des mentions « J'aime ».</p>
<blockquote><p>En B2B, le bon indicateur n'est pas le nombre de réactions mais le nombre de
conversations ouvertes avec des acheteurs.</p></blockquote>
<p>Pour aller plus loin, lisez notre article sur
<a href="https://example.org/social-selling">la prospection sur LinkedIn</a>.</p>""",
        "further_reading": [
            ("Aide LinkedIn pour les pages entreprise", "https://www.linkedin.com/help/linkedin"),
            (
                "Checklist : auditer sa page entreprise en 30 minutes",
                "https://example.com/checklist-page-linkedin",
            ),
        ],
    },
    {
        "slug": "e-reputation-surveiller-avant-que-ca-deborde",
        "title": "E-réputation : surveiller ce qu'on dit de vous avant que ça ne déborde",
        "state": "published",
        "days_ago": 6,
        "author": "karim.haddad",
        "category": "e-reputation",
        "tags": ["e-réputation", "veille", "outils", "avis clients"],
        "excerpt": (
            "Une réputation en ligne se perd rarement en un jour : elle s'effrite dans des avis, des "
            "forums et des commentaires que personne ne lit. Organiser une veille simple change tout."
        ),
        "body": """<p>Les crises de réputation qui éclatent « du jour au lendemain » ont presque toujours une
histoire : des avis négatifs restés sans réponse, un fil de forum qui grossit, une vidéo partagée dans un
groupe. La veille sert à voir ces signaux faibles pendant qu'ils sont encore faibles.</p>
<h2>Commencer par une liste de requêtes</h2>
<p>Avant de choisir un outil, écrivez ce que vous voulez surveiller :</p>
<ul>
<li>le nom de la marque, de ses produits et de ses dirigeants, avec leurs fautes de frappe courantes ;</li>
<li>les noms de vos principaux concurrents ;</li>
<li>deux ou trois expressions qui décrivent vos problèmes récurrents (« livraison en retard », « SAV »).</li>
</ul>
<h2>Choisir les sources qui comptent</h2>
<p>Plateformes d'avis, réseaux sociaux, forums spécialisés, presse locale : tout ne pèse pas le même poids
dans votre secteur. Un restaurant surveillera d'abord les avis, un éditeur de logiciels les forums
techniques et les comparateurs.</p>
<h2>Ritualiser la lecture</h2>
<p>Une veille que personne ne lit ne sert à rien. Un point de quinze minutes chaque matin, avec un tableau
partagé des mentions à traiter, vaut mieux qu'un outil coûteux et des alertes ignorées.</p>
<blockquote><p>La meilleure gestion de crise est celle qu'on n'a pas à déclencher parce qu'on a répondu au
premier message.</p></blockquote>
<p>Nous avons comparé plusieurs solutions dans un <a href="https://example.net/comparatif-outils-veille">comparatif
des outils de veille</a>, gratuits et payants.</p>""",
        "further_reading": [
            ("E-réputation, sur Wikipédia", "https://fr.wikipedia.org/wiki/E-réputation"),
        ],
    },
    {
        "slug": "ia-generative-community-management-assistant-pas-porte-parole",
        "title": "IA générative et community management : un assistant, pas un porte-parole",
        "state": "published",
        "days_ago": 9,
        "author": "sophie.nguyen",
        "category": "veille-et-outils",
        "tags": ["IA générative", "community management", "outils", "modération"],
        "excerpt": (
            "Résumer, trier, décliner : l'IA fait gagner un temps réel aux équipes social media. Lui "
            "confier la parole de la marque est une autre affaire."
        ),
        "body": """<p>Les outils d'IA générative se sont glissés dans presque toutes les suites de gestion des
réseaux sociaux. Bien utilisés, ils libèrent du temps pour ce qui compte : la conversation.</p>
<h2>Là où l'IA aide vraiment</h2>
<ul>
<li><strong>Trier</strong> : classer des centaines de commentaires par sujet et par urgence ;</li>
<li><strong>Résumer</strong> : produire la synthèse hebdomadaire des retours clients ;</li>
<li><strong>Décliner</strong> : adapter un texte validé à plusieurs formats et longueurs ;</li>
<li><strong>Relire</strong> : repérer les fautes et les formulations ambiguës.</li>
</ul>
<h2>Là où il faut garder la main</h2>
<p>Répondre à un client mécontent, prendre position sur un sujet sensible, annoncer une mauvaise nouvelle :
ces messages engagent la marque. Une réponse plausible mais fausse, ou simplement à côté du ton, coûte
beaucoup plus cher que le temps gagné.</p>
<blockquote><p>Faites écrire le brouillon par la machine si vous voulez, mais signez toujours un texte que
vous avez relu et compris.</p></blockquote>
<h2>Trois règles pour l'équipe</h2>
<p>Ne jamais coller de données personnelles de clients dans un outil non validé par l'entreprise ; toujours
relire avant publication ; documenter les usages pour que chacun sache ce qui est permis. La
<a href="https://www.cnil.fr/">CNIL</a> publie régulièrement des recommandations utiles sur le sujet.</p>""",
        "further_reading": [
            ("Grille d'usage de l'IA pour une équipe social media", "https://example.net/grille-usage-ia"),
            ("Les recommandations de la CNIL", "https://www.cnil.fr/"),
        ],
    },
    {
        "slug": "communication-de-crise-la-premiere-heure",
        "title": "Communication de crise sur les réseaux sociaux : tout se joue dans la première heure",
        "state": "published",
        "days_ago": 12,
        "featured": True,
        "author": "karim.haddad",
        "category": "communication-de-crise",
        "tags": ["communication de crise", "e-réputation", "community management"],
        "excerpt": (
            "Reconnaître, informer, agir : un protocole en trois temps pour ne pas laisser une "
            "polémique s'écrire sans vous."
        ),
        "body": """<p>Quand une crise éclate en ligne, le silence est toujours interprété. Pendant que
l'organisation vérifie les faits, réunit la direction et cherche la bonne formulation, d'autres racontent
l'histoire à sa place. La première heure ne sert pas à tout résoudre, mais à reprendre la parole.</p>
<h2>Reconnaître sans se précipiter</h2>
<p>Un premier message court suffit : vous avez vu, vous prenez le sujet au sérieux, vous revenez vers le
public à une heure précise. Il n'admet rien de ce qui n'est pas établi, mais il montre que quelqu'un est aux
commandes.</p>
<h2>Une cellule, un porte-parole, un document</h2>
<ul>
<li>une cellule réduite : direction, communication, juridique, et la personne qui connaît le dossier ;</li>
<li>un seul porte-parole, pour éviter les versions contradictoires ;</li>
<li>un document partagé où s'écrivent les faits vérifiés, les questions ouvertes et les messages validés.</li>
</ul>
<h2>Tenir la promesse du premier message</h2>
<p>Si vous avez annoncé un point à 15 h, publiez-le à 15 h, même s'il dit seulement que l'enquête continue.
La régularité rassure davantage que la perfection.</p>
<blockquote><p>En crise, on ne communique pas pour avoir raison mais pour rester crédible.</p></blockquote>
<h2>Après la crise</h2>
<p>Un retour d'expérience à froid, quelques semaines plus tard, permet d'ajuster le protocole et de
remercier celles et ceux qui ont tenu la permanence. C'est aussi le moment de vérifier que les engagements
pris publiquement ont bien été tenus.</p>
<p>Le <a href="https://www.gouvernement.fr/">site du gouvernement</a> publie en période de crise majeure des
messages qui illustrent bien la règle : des points réguliers, annoncés à l'avance.</p>""",
        "further_reading": [
            ("Modèle de protocole de crise sur une page", "https://example.org/ressources/protocole-crise"),
            ("Communication de crise, sur Wikipédia", "https://fr.wikipedia.org/wiki/Communication_de_crise"),
            ("Exercice : simuler un bad buzz en équipe", "https://example.com/exercice-bad-buzz"),
        ],
    },
    {
        "slug": "influence-choisir-des-createurs-pas-des-audiences",
        "title": "Marketing d'influence : choisir des créateurs plutôt que des audiences",
        "state": "published",
        "days_ago": 15,
        "author": "claire.morel",
        "category": "influence",
        "tags": ["influence", "créateurs de contenu", "KPI"],
        "excerpt": (
            "Le nombre d'abonnés est le critère le plus visible et le moins utile. Comment repérer les "
            "créateurs dont la communauté vous écoutera vraiment."
        ),
        "body": """<p>Beaucoup de campagnes d'influence commencent par un tableau trié par nombre d'abonnés.
C'est le moyen le plus sûr de payer cher une visibilité sans lendemain.</p>
<h2>Regarder les commentaires, pas les compteurs</h2>
<p>Lisez les cinquante derniers commentaires d'un créateur. Parlent-ils du contenu ? Posent-ils des
questions ? Le créateur répond-il ? Une petite communauté qui discute vaut mieux qu'une grande qui
défile.</p>
<h2>Vérifier l'affinité avec la marque</h2>
<ul>
<li>le créateur a-t-il déjà parlé de votre univers sans y être payé ?</li>
<li>ses partenariats passés sont-ils cohérents entre eux ?</li>
<li>son ton est-il compatible avec le vôtre, y compris dans l'humour ?</li>
</ul>
<h2>Laisser carte blanche sur la forme</h2>
<p>Un créateur connaît son public mieux que vous. Fixez le message clé, les mentions obligatoires et les
limites ; laissez-lui le format, le ton et le rythme. Les contenus trop scénarisés par la marque se
repèrent immédiatement et performent mal.</p>
<blockquote><p>On ne loue pas une audience, on s'associe à une personne en qui cette audience a
confiance.</p></blockquote>
<p>Avant de signer, relisez aussi les <a href="https://example.org/loi-influence">obligations
légales de l'influence commerciale</a>, qui concernent autant l'annonceur que le créateur.</p>""",
        "further_reading": [
            ("Influenceur, sur Wikipédia", "https://fr.wikipedia.org/wiki/Influenceur"),
            ("Grille de sélection des créateurs", "https://example.org/ressources/grille-createurs"),
        ],
    },
    {
        "slug": "kpi-reseaux-sociaux-relies-aux-objectifs",
        "title": "Mesurer ce qui compte : des indicateurs sociaux reliés aux objectifs",
        "state": "published",
        "days_ago": 19,
        "author": "sophie.nguyen",
        "category": "mesure-et-analytics",
        "tags": ["KPI", "analytics", "outils"],
        "excerpt": (
            "Portée, engagement, clics, conversions : chaque indicateur répond à une question. "
            "Encore faut-il savoir laquelle on se pose."
        ),
        "body": """<p>Les rapports mensuels des réseaux sociaux ressemblent souvent à un inventaire : une
vingtaine de chiffres, des flèches vertes et rouges, et personne ne sait quoi en faire. Le problème n'est pas
le manque de données mais l'absence de question.</p>
<h2>Partir de l'objectif</h2>
<p>Associez chaque objectif à un ou deux indicateurs, pas plus :</p>
<ul>
<li><strong>Se faire connaître</strong> : portée unique, part de voix face aux concurrents ;</li>
<li><strong>Créer du lien</strong> : taux de réponse, commentaires par publication, membres récurrents ;</li>
<li><strong>Générer du trafic</strong> : clics, sessions issues des réseaux, temps passé ;</li>
<li><strong>Vendre</strong> : conversions attribuées, demandes de contact, codes promo utilisés.</li>
</ul>
<h2>Comparer ce qui est comparable</h2>
<p>Un taux d'engagement n'a de sens que rapporté à la portée et comparé à vos propres moyennes. Comparer
une vidéo et une image, ou un mois de lancement et un mois d'août, ne dit rien.</p>
<h2>Un tableau de bord d'une page</h2>
<p>Une page, cinq indicateurs, une phrase d'analyse pour chacun et une décision pour le mois suivant.
Si un chiffre ne mène jamais à une décision, retirez-le du tableau.</p>
<p>Pour relier ces chiffres aux ventes, voyez notre article sur
<a href="https://example.org/attribution">l'attribution</a>.</p>""",
        "further_reading": [
            ("Modèle de tableau de bord mensuel", "https://example.net/modele-tableau-de-bord"),
        ],
    },
    {
        "slug": "ligne-editoriale-en-une-page",
        "title": "Marketing de contenu : tenir sa ligne éditoriale sur une seule page",
        "state": "published",
        "days_ago": 23,
        "author": "claire.morel",
        "category": "marketing-de-contenu",
        "tags": ["marketing de contenu", "ligne éditoriale", "community management"],
        "excerpt": (
            "Une ligne éditoriale de quarante pages finit dans un tiroir. Une page bien pensée guide "
            "chaque publication."
        ),
        "body": """<p>La ligne éditoriale est le document le plus cité et le moins consulté des équipes de
communication. Pour qu'elle serve, elle doit tenir sur une page et répondre à cinq questions.</p>
<h2>Les cinq questions</h2>
<ul>
<li>À qui parlons-nous, précisément ?</li>
<li>Que voulons-nous qu'ils pensent, ressentent ou fassent ?</li>
<li>Sur quels trois ou quatre sujets sommes-nous légitimes ?</li>
<li>Sur quel ton, et avec quels mots interdits ?</li>
<li>À quel rythme, sur quels canaux ?</li>
</ul>
<h2>Des piliers plutôt qu'une liste de sujets</h2>
<p>Regroupez vos sujets en trois ou quatre piliers (par exemple : expertise, coulisses, communauté,
actualité). Chaque publication doit pouvoir être rangée dans un pilier ; celles qui n'y entrent pas sont
probablement hors sujet.</p>
<h2>La faire vivre</h2>
<p>Relisez la page tous les trimestres avec l'équipe, à la lumière des chiffres. Une ligne éditoriale qui ne
change jamais est une ligne éditoriale que personne ne lit.</p>
<blockquote><p>Le rôle d'une ligne éditoriale est d'aider à dire non.</p></blockquote>
<p>Un <a href="https://example.org/ressources/ligne-editoriale">modèle à télécharger</a>
reprend ces cinq questions.</p>""",
        "further_reading": [
            ("Marketing de contenu, sur Wikipédia", "https://fr.wikipedia.org/wiki/Marketing_de_contenu"),
            ("Modèle de ligne éditoriale sur une page", "https://example.org/ressources/ligne-editoriale"),
        ],
    },
    {
        "slug": "marque-employeur-salaries-ambassadeurs",
        "title": "Marque employeur : quand les salariés deviennent les meilleurs ambassadeurs",
        "state": "published",
        "days_ago": 26,
        "author": "julien.bertrand",
        "category": "marque-employeur",
        "tags": ["marque employeur", "employee advocacy", "LinkedIn"],
        "excerpt": (
            "Les candidats croient davantage les salariés que les pages carrières. Encore faut-il leur "
            "donner envie et matière à en parler."
        ),
        "body": """<p>Avant de postuler, un candidat consulte le site de l'entreprise, puis cherche ce qu'en
disent ceux qui y travaillent. Les publications spontanées des salariés pèsent souvent plus lourd que la
plus belle vidéo institutionnelle.</p>
<h2>Montrer le travail tel qu'il est</h2>
<p>Une journée type, un projet difficile mené à bien, l'arrivée d'un nouvel apprenti : ces histoires
ordinaires sont celles que les candidats veulent lire. Elles ne demandent pas de gros moyens, seulement de
l'attention.</p>
<h2>Faciliter sans imposer</h2>
<ul>
<li>proposer des contenus prêts à partager, que chacun peut reformuler ;</li>
<li>former à LinkedIn celles et ceux qui le souhaitent, sur la base du volontariat ;</li>
<li>ne jamais mesurer les salariés à leur nombre de partages.</li>
</ul>
<h2>Rester cohérent avec la réalité</h2>
<p>Une marque employeur qui promet ce que l'entreprise ne tient pas se retourne contre elle, sur les sites
d'avis comme dans les départs précoces. Commencez par écouter ce que disent les équipes.</p>
<p>Le site <a href="https://www.francetravail.fr/">France Travail</a> publie régulièrement des études sur les
attentes des candidats, utiles pour vérifier que votre discours vise juste.</p>""",
        "further_reading": [
            ("Marque employeur, sur Wikipédia", "https://fr.wikipedia.org/wiki/Marque_employeur"),
        ],
    },
    {
        "slug": "facebook-groupes-engagement-organique",
        "title": "Facebook : les groupes, dernier refuge de l'engagement organique ?",
        "state": "published",
        "days_ago": 30,
        "author": "claire.morel",
        "category": "facebook",
        "tags": ["Facebook", "community management", "modération"],
        "excerpt": (
            "La portée des pages s'érode, celle des groupes résiste. Ouvrir un groupe de marque peut "
            "valoir la peine, à condition d'en accepter les contraintes."
        ),
        "body": """<p>Depuis plusieurs années, les publications des pages Facebook touchent une part
de plus en plus faible de leurs abonnés sans publicité. Les groupes, eux, continuent de réunir des
membres actifs autour d'un centre d'intérêt commun.</p>
<h2>Un groupe n'est pas une page bis</h2>
<p>Dans un groupe, la marque est l'hôte, pas la vedette. Les membres viennent pour échanger entre eux :
astuces, questions, entraide. Un groupe qui ne sert qu'à relayer les promotions se vide rapidement.</p>
<h2>Ce qu'il faut prévoir</h2>
<ul>
<li>des questions d'entrée pour filtrer les comptes indésirables ;</li>
<li>une charte épinglée et des modérateurs disponibles, y compris le week-end ;</li>
<li>un rendez-vous régulier (question du lundi, session de questions-réponses mensuelle).</li>
</ul>
<h2>Quand renoncer</h2>
<p>Si votre sujet ne suscite pas de discussions entre clients, ou si personne ne peut modérer chaque jour,
mieux vaut soigner la page et les messages privés que d'ouvrir un groupe fantôme.</p>
<p>Le <a href="https://www.facebook.com/help/">centre d'aide de Facebook</a> détaille les réglages de
confidentialité et d'adhésion propres aux groupes.</p>""",
        "further_reading": [
            ("Centre d'aide Facebook : les groupes", "https://www.facebook.com/help/"),
            ("Exemples de questions d'entrée", "https://example.com/questions-entree-groupe"),
        ],
    },
    {
        "slug": "instagram-penser-en-carrousels",
        "title": "Instagram : penser en carrousels plutôt qu'en publications isolées",
        "state": "published",
        "days_ago": 34,
        "author": "sophie.nguyen",
        "category": "instagram",
        "tags": ["Instagram", "marketing de contenu", "accessibilité"],
        "excerpt": (
            "Le carrousel est le format pédagogique d'Instagram : il se sauvegarde, se partage et se "
            "relit. Quelques règles pour le réussir."
        ),
        "body": """<p>Sur Instagram, les carrousels obtiennent souvent plus de sauvegardes que les images
seules : ils promettent d'apprendre quelque chose, page après page. C'est le format idéal pour expliquer,
comparer ou raconter.</p>
<h2>Une première image qui promet</h2>
<p>La couverture doit dire en quelques mots ce que l'on gagne à faire défiler : « 5 erreurs à éviter »,
« Avant / après », « Le guide en 6 étapes ». Sans promesse claire, personne ne glisse vers la suite.</p>
<h2>Une idée par image</h2>
<ul>
<li>un titre court et lisible sur mobile ;</li>
<li>une phrase d'explication, pas un paragraphe ;</li>
<li>une dernière image qui résume et invite à sauvegarder ou commenter.</li>
</ul>
<h2>Penser à tout le monde</h2>
<p>Renseignez un texte alternatif pour chaque image et reprenez l'essentiel dans la légende : les personnes
qui utilisent un lecteur d'écran, et les moteurs de recherche internes, vous en sauront gré.</p>
<p>Nos <a href="https://example.net/gabarits-carrousel">gabarits de carrousel</a> respectent ces règles et
s'adaptent à votre charte graphique.</p>""",
        "further_reading": [],
    },
    {
        "slug": "tiktok-marques-accepter-de-perdre-le-controle",
        "title": "TikTok pour les marques : accepter de perdre le contrôle du ton",
        "state": "published",
        "days_ago": 38,
        "author": "claire.morel",
        "category": "tiktok",
        "tags": ["TikTok", "vidéo", "créateurs de contenu"],
        "excerpt": (
            "Sur TikTok, les codes viennent des utilisateurs. Les marques qui réussissent acceptent de "
            "les apprendre plutôt que d'imposer les leurs."
        ),
        "body": """<p>TikTok déroute les équipes habituées aux validations en plusieurs étapes. Une tendance
dure quelques jours ; le temps qu'un visuel soit approuvé, elle est déjà passée.</p>
<h2>Observer avant de publier</h2>
<p>Passez deux semaines à regarder ce que publie votre public, pas vos concurrents. Notez les formats, les
sons, les blagues récurrentes. C'est la meilleure formation possible.</p>
<h2>Donner de l'autonomie à l'équipe</h2>
<ul>
<li>un cadre écrit : ce qu'on ne fait jamais, les sujets interdits ;</li>
<li>à l'intérieur de ce cadre, une publication sans validation hiérarchique ;</li>
<li>un bilan mensuel pour ajuster le cadre.</li>
</ul>
<h2>Miser sur les personnes</h2>
<p>Les comptes de marque qui marchent ont souvent un visage : un salarié, une équipe, un créateur
partenaire. Le public suit des personnes bien plus volontiers que des logos.</p>
<blockquote><p>Sur TikTok, une vidéo imparfaite publiée à temps bat une vidéo parfaite publiée trop
tard.</p></blockquote>
<p>Les <a href="https://www.tiktok.com/community-guidelines">règles communautaires de TikTok</a> sont à
lire avant d'écrire votre propre cadre : elles fixent déjà bien des limites.</p>""",
        "further_reading": [
            ("TikTok, sur Wikipédia", "https://fr.wikipedia.org/wiki/TikTok"),
        ],
    },
    {
        "slug": "veille-tableau-de-bord-sans-y-passer-ses-journees",
        "title": "Veille : construire un tableau de bord sans y passer ses journées",
        "state": "published",
        "days_ago": 42,
        "author": "sophie.nguyen",
        "category": "veille-et-outils",
        "tags": ["veille", "outils", "newsletter"],
        "excerpt": (
            "Flux RSS, alertes, listes et newsletters : une veille efficace tient en une heure par "
            "semaine si elle est bien organisée."
        ),
        "body": """<p>La veille a mauvaise réputation : trop d'informations, pas assez de temps. En réalité,
le problème vient souvent d'un empilement de sources jamais triées.</p>
<h2>Trois niveaux de sources</h2>
<ul>
<li><strong>L'indispensable</strong> : cinq à dix sources lues chaque semaine, sans exception ;</li>
<li><strong>L'utile</strong> : des newsletters et des flux RSS parcourus en diagonale ;</li>
<li><strong>Le ponctuel</strong> : des alertes sur des mots-clés précis, déclenchées au besoin.</li>
</ul>
<h2>Un lecteur de flux, encore et toujours</h2>
<p>Les flux RSS n'ont pas disparu : la plupart des blogs et des médias en proposent. Un lecteur de flux
rassemble tout au même endroit, sans algorithme qui décide pour vous.</p>
<h2>Partager ce qu'on trouve</h2>
<p>Une veille qui reste dans la tête d'une personne ne profite à personne. Un message hebdomadaire de trois
liens commentés à l'équipe suffit à en faire un outil collectif.</p>
<p>Exemple de format : notre <a href="https://example.org/newsletter">lettre hebdomadaire</a>,
trois liens commentés chaque vendredi.</p>""",
        "further_reading": [
            ("RSS, sur Wikipédia", "https://fr.wikipedia.org/wiki/RSS"),
            ("Notre sélection de sources de veille", "https://example.net/sources-de-veille"),
        ],
    },
    {
        "slug": "moderation-charte-que-les-membres-lisent",
        "title": "Modération : écrire une charte que les membres lisent vraiment",
        "state": "published",
        "days_ago": 47,
        "author": "karim.haddad",
        "category": "communaute",
        "tags": ["modération", "community management", "communication de crise"],
        "excerpt": (
            "Une bonne charte tient en dix lignes, explique pourquoi et dit ce qui arrive quand on "
            "l'enfreint."
        ),
        "body": """<p>La plupart des chartes de modération sont des textes juridiques que personne ne lit.
Elles ne servent qu'au moment où il faut justifier une suppression, c'est-à-dire trop tard.</p>
<h2>Dix lignes, pas dix pages</h2>
<p>Écrivez ce que vous attendez, en phrases simples et positives : « On critique les idées, pas les
personnes », « On cite ses sources », « On reste dans le sujet du groupe ».</p>
<h2>Dire ce qui se passe ensuite</h2>
<ul>
<li>un premier écart : un message privé et un rappel de la règle ;</li>
<li>une récidive : le commentaire est masqué ;</li>
<li>un comportement grave (haine, harcèlement, données personnelles) : exclusion immédiate.</li>
</ul>
<h2>Modérer en public, expliquer en privé</h2>
<p>Quand vous retirez un message, dites-le brièvement dans la discussion pour que chacun comprenne la
règle, et expliquez le détail en privé à la personne concernée. La transparence évite bien des
procès d'intention.</p>
<blockquote><p>Une charte appliquée à tous, y compris aux habitués, est la meilleure protection d'une
discussion.</p></blockquote>
<p>Pour les contenus illicites, la plateforme <a href="https://www.internet-signalement.gouv.fr/">Pharos</a>
permet de faire un signalement aux autorités.</p>""",
        "further_reading": [
            ("Modèle de charte de communauté à adapter", "https://example.org/ressources/charte-communaute"),
        ],
    },
    {
        "slug": "social-selling-prospecter-sans-spammer",
        "title": "Social selling : prospecter sur LinkedIn sans spammer",
        "state": "published",
        "days_ago": 52,
        "author": "julien.bertrand",
        "category": "linkedin",
        "tags": ["social selling", "LinkedIn", "B2B"],
        "excerpt": (
            "Le message automatique envoyé à cinq cents inconnus ne vend rien. La prospection sociale "
            "commence par l'écoute."
        ),
        "body": """<p>Tout le monde a reçu ce message : une demande de connexion, suivie trois minutes
plus tard d'une présentation commerciale. Le social selling, c'est exactement l'inverse.</p>
<h2>Écouter avant de parler</h2>
<p>Suivez les comptes de vos clients cibles, lisez ce qu'ils publient, commentez quand vous avez quelque
chose d'utile à dire. Au bout de quelques semaines, votre nom leur sera familier.</p>
<h2>Un message personnalisé, ou rien</h2>
<ul>
<li>mentionner une publication ou un projet précis de la personne ;</li>
<li>proposer une ressource, pas un rendez-vous ;</li>
<li>accepter que la réponse prenne du temps, ou ne vienne pas.</li>
</ul>
<h2>Mesurer sur la durée</h2>
<p>Le bon indicateur est le nombre de conversations qualifiées par mois, pas le nombre de messages envoyés.
Avec cette approche, il est courant d'envoyer moins de messages et d'obtenir davantage de rendez-vous.</p>
<p>Côté données personnelles, la <a href="https://www.cnil.fr/">CNIL</a> rappelle les règles de la
prospection commerciale, qui s'appliquent aussi aux messages privés.</p>""",
        "further_reading": [
            (
                "Exemples de premiers messages qui fonctionnent",
                "https://example.com/premiers-messages-linkedin",
            ),
        ],
    },
    {
        "slug": "avis-clients-repondre-aux-critiques-negatives",
        "title": "Avis clients : bien répondre aux critiques négatives",
        "state": "published",
        "days_ago": 57,
        "author": "karim.haddad",
        "category": "e-reputation",
        "tags": ["avis clients", "e-réputation", "community management"],
        "excerpt": (
            "Une réponse à un avis négatif s'adresse surtout aux futurs clients qui la liront. Voici "
            "comment l'écrire."
        ),
        "body": """<p>Un avis négatif sans réponse laisse le dernier mot au mécontentement. Une réponse
défensive fait pire. Entre les deux, il existe une manière simple et efficace de répondre.</p>
<h2>La structure en quatre temps</h2>
<ul>
<li>remercier la personne d'avoir pris le temps d'écrire ;</li>
<li>reconnaître le problème, sans chercher d'excuse ;</li>
<li>expliquer ce qui a été ou sera fait ;</li>
<li>proposer de poursuivre l'échange en privé.</li>
</ul>
<h2>Écrire pour les lecteurs suivants</h2>
<p>Les futurs clients lisent les avis, et surtout les réponses. Ils jugent moins l'erreur que la manière
dont vous la traitez. Un ton calme et précis rassure plus qu'un long plaidoyer.</p>
<h2>Quand un avis est faux</h2>
<p>Un avis mensonger ou injurieux peut être signalé à la plateforme. En attendant, une réponse factuelle
et courte suffit ; les lecteurs font généralement la différence.</p>
<blockquote><p>Répondre à un avis, c'est parler à cent clients à travers un seul.</p></blockquote>
<p>Le site <a href="https://www.economie.gouv.fr/">economie.gouv.fr</a> présente les règles qui
encadrent les avis en ligne et leur modération par les plateformes.</p>""",
        "further_reading": [
            ("Les avis en ligne, sur le site du ministère de l'Économie", "https://www.economie.gouv.fr/"),
            ("Modèles de réponses aux avis négatifs", "https://example.org/ressources/reponses-avis"),
        ],
    },
    {
        "slug": "loi-influence-commerciale-ce-que-les-marques-doivent-verifier",
        "title": "Influence commerciale : ce que les marques doivent vérifier depuis la loi de 2023",
        "state": "published",
        "days_ago": 62,
        "author": "karim.haddad",
        "category": "influence",
        "tags": ["influence", "réglementation", "créateurs de contenu"],
        "excerpt": (
            "La loi du 9 juin 2023 encadre l'influence commerciale en France. Les annonceurs ont eux "
            "aussi des obligations : le point sur les vérifications à faire."
        ),
        "body": """<p>La loi du 9 juin 2023 visant à encadrer l'influence commerciale a donné un statut aux
créateurs qui font la promotion de produits contre rémunération ou avantage. Elle concerne aussi les
marques qui travaillent avec eux.</p>
<h2>La transparence avant tout</h2>
<p>Un contenu sponsorisé doit être clairement signalé comme tel, de façon lisible pendant toute sa durée.
Les images retouchées ou générées doivent elles aussi être signalées dans certains cas.</p>
<h2>Un contrat écrit</h2>
<p>Au-delà d'un montant fixé par décret, la collaboration doit faire l'objet d'un contrat écrit, qui
précise notamment :</p>
<ul>
<li>l'objet précis de la collaboration et les contenus attendus ;</li>
<li>la rémunération ou les avantages en nature ;</li>
<li>les droits d'utilisation des contenus par la marque.</li>
</ul>
<h2>Des produits et des sujets interdits ou encadrés</h2>
<p>Certaines promotions sont interdites ou strictement encadrées (actes de chirurgie esthétique, certains
produits financiers, paris sportifs…). En cas de doute, faites relire le projet avant de signer : les
sanctions visent aussi l'annonceur.</p>
<p>Le texte complet est disponible sur <a href="https://www.legifrance.gouv.fr/">Légifrance</a>.</p>""",
        "further_reading": [
            ("Légifrance, le service public de la diffusion du droit", "https://www.legifrance.gouv.fr/"),
            (
                "Influence commerciale, sur le site du ministère de l'Économie",
                "https://www.economie.gouv.fr/",
            ),
        ],
    },
    {
        "slug": "newsletter-le-canal-que-vous-possedez",
        "title": "Newsletter : le seul canal que vous possédez vraiment",
        "state": "published",
        "days_ago": 68,
        "author": "claire.morel",
        "category": "marketing-de-contenu",
        "tags": ["newsletter", "marketing de contenu", "RGPD"],
        "excerpt": (
            "Un algorithme peut faire chuter votre portée du jour au lendemain. Votre liste d'abonnés, "
            "elle, vous appartient."
        ),
        "body": """<p>Les réseaux sociaux louent leur audience ; une newsletter la confie directement à
l'expéditeur. C'est ce qui explique le retour en grâce de ce format ancien.</p>
<h2>Une promesse claire à l'inscription</h2>
<p>« Chaque mardi, trois outils testés en cinq minutes de lecture » donne envie de s'inscrire bien plus
qu'un vague « Recevez nos actualités ». Tenez ensuite la promesse, chaque semaine.</p>
<h2>Un consentement propre</h2>
<ul>
<li>une case non précochée et une finalité expliquée ;</li>
<li>un lien de désinscription visible dans chaque envoi ;</li>
<li>aucune adresse ajoutée sans accord, même celles des clients.</li>
</ul>
<h2>Mesurer la fidélité</h2>
<p>Les taux d'ouverture sont devenus peu fiables ; regardez plutôt les clics, les réponses et les
désinscriptions après chaque envoi. Une newsletter qui suscite des réponses est une newsletter qui
compte.</p>
<p>Pour bien démarrer, consultez notre <a href="https://example.com/premiere-newsletter">liste de
contrôle avant le premier envoi</a>.</p>""",
        "further_reading": [
            ("La prospection commerciale par courriel, sur le site de la CNIL", "https://www.cnil.fr/"),
        ],
    },
    {
        "slug": "calendrier-editorial-planifier-sans-rigidifier",
        "title": "Calendrier éditorial : planifier sans tout figer",
        "state": "published",
        "days_ago": 74,
        "author": "sophie.nguyen",
        "category": "strategie-digitale",
        "tags": ["ligne éditoriale", "outils", "community management"],
        "excerpt": (
            "Un bon calendrier éditorial laisse de la place à l'imprévu. Trois couches pour organiser "
            "les publications sans perdre en réactivité."
        ),
        "body": """<p>Sans calendrier, on publie quand on a le temps, c'est-à-dire rarement. Avec un
calendrier trop rempli, on rate l'actualité. La solution tient dans un planning à trois couches.</p>
<h2>Les temps forts de l'année</h2>
<p>Salons, lancements, dates clés de votre secteur : ils se planifient des mois à l'avance et structurent
l'année.</p>
<h2>Les rendez-vous récurrents</h2>
<ul>
<li>un conseil pratique chaque lundi ;</li>
<li>une coulisse d'équipe le jeudi ;</li>
<li>une synthèse mensuelle de l'actualité du secteur.</li>
</ul>
<h2>Des créneaux libres</h2>
<p>Gardez environ un tiers des créneaux vides. Ils accueilleront l'actualité, une réaction à une tendance
ou une belle histoire racontée par un client. Un calendrier qui ne laisse aucune place à l'imprévu finit
toujours par être abandonné.</p>
<p>Un <a href="https://example.org/ressources/calendrier">modèle de calendrier</a> prêt à copier
reprend ces trois couches.</p>""",
        "further_reading": [
            ("Modèle de calendrier éditorial à trois couches", "https://example.org/ressources/calendrier"),
        ],
    },
    {
        "slug": "bad-buzz-anatomie-dune-polemique",
        "title": "Bad buzz : anatomie d'une polémique en ligne",
        "state": "published",
        "days_ago": 80,
        "author": "karim.haddad",
        "category": "communication-de-crise",
        "tags": ["communication de crise", "e-réputation", "veille"],
        "excerpt": (
            "Déclencheur, amplification, récupération, essoufflement : la plupart des polémiques "
            "suivent le même cycle. Le connaître aide à y répondre."
        ),
        "body": """<p>Vues de l'intérieur, les polémiques semblent chaotiques. Observées avec un peu de recul,
elles suivent presque toujours le même déroulé.</p>
<h2>Le déclencheur</h2>
<p>Une publication maladroite, un témoignage de client, une capture d'écran sortie de son contexte. À ce
stade, quelques dizaines de personnes seulement sont au courant.</p>
<h2>L'amplification</h2>
<p>Un compte influent relaie, les réactions s'enchaînent, des médias reprennent le sujet. C'est la phase où
chaque heure compte et où une réponse rapide peut encore changer le récit.</p>
<h2>La récupération et l'essoufflement</h2>
<ul>
<li>d'autres acteurs utilisent la polémique pour défendre leur cause ;</li>
<li>l'attention se déplace vers un nouveau sujet ;</li>
<li>il reste des traces durables dans les résultats de recherche.</li>
</ul>
<blockquote><p>Une polémique dure rarement plus de quelques jours ; ses traces dans les moteurs de recherche,
beaucoup plus longtemps.</p></blockquote>
<p>C'est pourquoi le travail d'après-crise, réponses de fond, contenus qui expliquent, engagements tenus,
compte autant que la réaction à chaud.</p>
<p>Le protocole à suivre dans les premières heures est détaillé dans notre article sur
<a href="https://example.org/crise-premiere-heure">la première heure d'une crise</a>.</p>""",
        "further_reading": [
            ("Effet Streisand, sur Wikipédia", "https://fr.wikipedia.org/wiki/Effet_Streisand"),
        ],
    },
    {
        "slug": "employee-advocacy-lancer-un-programme",
        "title": "Employee advocacy : lancer un programme sans forcer personne",
        "state": "published",
        "days_ago": 87,
        "author": "julien.bertrand",
        "category": "marque-employeur",
        "tags": ["employee advocacy", "marque employeur", "LinkedIn"],
        "excerpt": (
            "Un programme d'ambassadeurs réussi repose sur le volontariat, la formation et des contenus "
            "que les salariés ont envie de partager."
        ),
        "body": """<p>Les programmes d'employee advocacy promettent de démultiplier la visibilité de
l'entreprise grâce aux réseaux de ses salariés. Mal conduits, ils produisent surtout des partages
mécaniques que personne ne lit.</p>
<h2>Commencer petit, avec des volontaires</h2>
<p>Une dizaine de personnes motivées valent mieux que trois cents inscrits d'office. Choisissez des profils
variés : commerciaux, techniciens, ressources humaines.</p>
<h2>Former plutôt que fournir des textes</h2>
<ul>
<li>un atelier sur le profil LinkedIn et la confidentialité ;</li>
<li>des idées de sujets à partir du quotidien de chacun ;</li>
<li>des règles simples sur ce qui peut être montré ou non.</li>
</ul>
<h2>Reconnaître l'effort</h2>
<p>Partager son travail en public demande du temps et un peu de courage. Remerciez, mettez en avant les
belles publications en interne, et n'en faites jamais un critère d'évaluation.</p>
<p>Nous avons aussi rassemblé des <a href="https://example.com/idees-publications-salaries">idées de
publications</a> que les salariés peuvent s'approprier.</p>""",
        "further_reading": [
            ("Charte d'ambassadeurs : un exemple commenté", "https://example.com/charte-ambassadeurs"),
        ],
    },
    {
        "slug": "attribution-ce-que-rapportent-les-reseaux-sociaux",
        "title": "Attribution : ce que les réseaux sociaux rapportent vraiment",
        "state": "published",
        "days_ago": 94,
        "author": "sophie.nguyen",
        "category": "mesure-et-analytics",
        "tags": ["analytics", "KPI", "publicité"],
        "excerpt": (
            "Dernier clic, multi-touch, tests d'incrémentalité : aucun modèle n'est parfait, mais "
            "certains trompent moins que d'autres."
        ),
        "body": """<p>« Combien nous rapportent les réseaux sociaux ? » La question revient à chaque comité de
direction, et les réponses varient du simple au triple selon le modèle d'attribution choisi.</p>
<h2>Les limites du dernier clic</h2>
<p>Attribuer toute la vente au dernier lien cliqué favorise la recherche payante et le courriel, et
efface le rôle des réseaux sociaux, qui interviennent souvent plus tôt dans le parcours.</p>
<h2>Trois approches complémentaires</h2>
<ul>
<li>les modèles multi-touch, qui répartissent la valeur entre les points de contact ;</li>
<li>les questions posées aux clients (« Comment nous avez-vous connus ? ») ;</li>
<li>les tests d'incrémentalité : couper une campagne dans une région et mesurer la différence.</li>
</ul>
<h2>Accepter une fourchette</h2>
<p>Présentez un intervalle plutôt qu'un chiffre unique, et expliquez comment il a été obtenu. Une
estimation honnête et argumentée convainc plus durablement qu'un chiffre précis mais fragile.</p>
<p>Un point de départ simple : une <a href="https://example.net/convention-utm">convention de
nommage des liens</a> respectée par toute l'équipe.</p>""",
        "further_reading": [
            ("Paramètres UTM : une convention de nommage", "https://example.net/convention-utm"),
            ("Test A/B, sur Wikipédia", "https://fr.wikipedia.org/wiki/Test_A/B"),
        ],
    },
    {
        "slug": "video-courte-tourner-au-smartphone",
        "title": "Vidéo courte : tourner au smartphone sans faire amateur",
        "state": "published",
        "days_ago": 101,
        "author": "claire.morel",
        "category": "marketing-de-contenu",
        "tags": ["vidéo", "TikTok", "Instagram", "accessibilité"],
        "excerpt": (
            "Lumière, son, cadrage et sous-titres : quatre réglages qui font passer une vidéo de "
            "bricolée à soignée, sans matériel coûteux."
        ),
        "body": """<p>Nul besoin d'une équipe de tournage pour produire des vidéos courtes de qualité. Un
smartphone récent suffit, à condition de soigner quatre détails.</p>
<h2>La lumière</h2>
<p>Filmez face à une fenêtre, jamais dos à elle. Une lumière naturelle douce flatte davantage que n'importe
quel éclairage d'appoint mal réglé.</p>
<h2>Le son</h2>
<p>Le public pardonne une image moyenne, pas un son inaudible. Un petit micro-cravate se rentabilise dès la
première vidéo.</p>
<h2>Le cadrage et le rythme</h2>
<ul>
<li>filmer à la verticale, les yeux au tiers supérieur de l'image ;</li>
<li>accrocher dans les deux premières secondes ;</li>
<li>couper tout ce qui n'apporte rien, même si c'est joli.</li>
</ul>
<h2>Les sous-titres</h2>
<p>Une grande partie des vidéos est regardée sans le son. Des sous-titres relus rendent la vidéo
accessible à tous et retiennent l'attention de ceux qui font défiler.</p>
<p>Pour le montage, notre <a href="https://example.org/montage-mobile">sélection d'applications de
montage sur mobile</a> couvre les besoins courants.</p>""",
        "further_reading": [],
    },
    {
        "slug": "publicite-sociale-ciblage-large-creations-fortes",
        "title": "Publicité sociale : un ciblage plus large, des créations plus fortes",
        "state": "published",
        "days_ago": 109,
        "author": "julien.bertrand",
        "category": "facebook",
        "tags": ["publicité", "Facebook", "Instagram", "analytics"],
        "excerpt": (
            "Les algorithmes publicitaires ciblent désormais mieux que nous. Le levier principal de "
            "l'annonceur, c'est la création."
        ),
        "body": """<p>Il y a quelques années, une campagne réussie reposait sur un ciblage fin : âge, centres
d'intérêt, comportements. Les limites posées au suivi des internautes et les progrès des algorithmes ont
changé la donne.</p>
<h2>Laisser l'algorithme chercher</h2>
<p>Avec un ciblage large et un objectif de conversion bien paramétré, les plateformes trouvent souvent
elles-mêmes les bonnes personnes. Votre rôle est de leur donner un signal fiable : des conversions bien
mesurées.</p>
<h2>Multiplier les créations</h2>
<ul>
<li>plusieurs accroches pour un même message ;</li>
<li>des formats variés : vidéo courte, image, carrousel ;</li>
<li>un renouvellement régulier pour éviter la lassitude.</li>
</ul>
<h2>Juger sur la durée</h2>
<p>Laissez à chaque campagne le temps d'apprendre avant de la modifier. Changer les réglages tous les deux
jours empêche l'algorithme de se stabiliser et brouille les résultats.</p>
<p>La <a href="https://www.facebook.com/business/ads">documentation publicitaire de Meta</a>
décrit les objectifs de campagne et la phase d'apprentissage.</p>""",
        "further_reading": [
            ("Publicité en ligne, sur Wikipédia", "https://fr.wikipedia.org/wiki/Publicité_en_ligne"),
        ],
    },
    {
        "slug": "accessibilite-des-publications-sociales",
        "title": "Accessibilité : des publications lisibles par tous",
        "state": "published",
        "days_ago": 117,
        "author": "sophie.nguyen",
        "category": "communaute",
        "tags": ["accessibilité", "community management", "vidéo"],
        "excerpt": (
            "Textes alternatifs, sous-titres, emojis avec modération, hashtags lisibles : l'accessibilité "
            "améliore la portée de chaque publication."
        ),
        "body": """<p>Des millions de personnes utilisent les réseaux sociaux avec un lecteur d'écran, un
agrandissement de texte ou sans le son. Rendre ses publications accessibles, c'est simplement ne pas les
exclure.</p>
<h2>Les gestes essentiels</h2>
<ul>
<li>un texte alternatif qui décrit ce que l'image apporte, pas seulement ce qu'elle montre ;</li>
<li>des sous-titres relus sur chaque vidéo ;</li>
<li>des hashtags en « CamelCase » (#MarqueEmployeur plutôt que #marqueemployeur) ;</li>
<li>des emojis en fin de phrase, et avec parcimonie : ils sont lus à voix haute.</li>
</ul>
<h2>Le texte dans l'image</h2>
<p>Une affiche dont le texte n'existe qu'en image est invisible pour un lecteur d'écran. Reprenez
toujours l'information dans la légende.</p>
<blockquote><p>Ce qui est indispensable pour certains est utile pour tous : les sous-titres en sont la
meilleure preuve.</p></blockquote>
<p>Le <a href="https://accessibilite.numerique.gouv.fr/">référentiel général d'amélioration de
l'accessibilité</a> donne des repères utiles, même s'il vise d'abord les sites web.</p>""",
        "further_reading": [
            (
                "Le référentiel général d'amélioration de l'accessibilité",
                "https://accessibilite.numerique.gouv.fr/",
            ),
        ],
    },
    {
        "slug": "rgpd-jeux-concours-reseaux-sociaux",
        "title": "RGPD et réseaux sociaux : les jeux-concours sans faux pas",
        "state": "published",
        "days_ago": 126,
        "author": "karim.haddad",
        "category": "strategie-digitale",
        "tags": ["RGPD", "réglementation", "Facebook", "Instagram"],
        "excerpt": (
            "Un jeu-concours collecte des données personnelles. Règlement, consentement, durée de "
            "conservation : la liste des points à vérifier."
        ),
        "body": """<p>Le jeu-concours reste un classique des réseaux sociaux pour gagner en visibilité. Il
implique presque toujours une collecte de données personnelles, même minime.</p>
<h2>Le règlement</h2>
<p>Rédigez un règlement accessible depuis la publication : organisateur, dates, modalités de
participation, dotations, désignation des gagnants. Vérifiez aussi les règles propres à chaque plateforme.</p>
<h2>Les données</h2>
<ul>
<li>ne collecter que le nécessaire pour contacter les gagnants ;</li>
<li>demander un consentement distinct pour toute inscription à une newsletter ;</li>
<li>fixer une durée de conservation et supprimer les données ensuite.</li>
</ul>
<h2>Informer les participants</h2>
<p>Une mention courte indique qui traite les données, pourquoi, combien de temps et comment exercer ses
droits. Le site de la <a href="https://www.cnil.fr/">CNIL</a> propose des modèles utiles.</p>""",
        "further_reading": [
            ("Le RGPD, sur le site de la CNIL", "https://www.cnil.fr/"),
            ("Règlement de jeu-concours : modèle commenté", "https://example.org/ressources/reglement-jeu"),
        ],
    },
    {
        "slug": "communautes-privees-discord-whatsapp-groupes-fermes",
        "title": "Communautés privées : Discord, WhatsApp et groupes fermés",
        "state": "published",
        "days_ago": 135,
        "author": "claire.morel",
        "category": "communaute",
        "tags": ["community management", "modération", "outils"],
        "excerpt": (
            "Les conversations quittent les fils publics pour des espaces plus intimes. Comment une "
            "marque peut y trouver sa place sans s'imposer."
        ),
        "body": """<p>Les échanges les plus riches se tiennent de plus en plus loin des fils publics :
serveurs Discord, communautés WhatsApp, groupes fermés. Ces espaces offrent une intimité que les grands
réseaux ne permettent plus.</p>
<h2>Pourquoi ces espaces attirent</h2>
<p>Pas d'algorithme qui trie, pas d'inconnus qui s'invitent, des règles posées par la communauté
elle-même. Les membres y parlent plus librement et plus longuement.</p>
<h2>Ouvrir son propre espace</h2>
<ul>
<li>un objectif clair : entraide entre clients, club d'utilisateurs avancés, programme bêta ;</li>
<li>des animateurs présents, avec des horaires annoncés ;</li>
<li>des canaux peu nombreux au départ, ajoutés selon les besoins.</li>
</ul>
<h2>Ou rejoindre ceux qui existent</h2>
<p>Dans les communautés créées par d'autres, la marque est une invitée : elle se présente, respecte les
règles et apporte de la valeur avant de parler d'elle. Les administrateurs s'en souviendront.</p>
<p>Avant d'ouvrir un espace, relisez notre guide pour <a href="https://example.org/charte-moderation">écrire
une charte de modération</a> que les membres liront.</p>""",
        "further_reading": [
            ("Discord, sur Wikipédia", "https://fr.wikipedia.org/wiki/Discord_(logiciel)"),
        ],
    },
]
