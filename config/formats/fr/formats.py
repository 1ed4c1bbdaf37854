# Dates as French readers expect them in article lists: "20 nov. 2009".
SHORT_DATE_FORMAT = "j N Y"
