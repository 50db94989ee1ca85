"""Small hand-written dumps for the text engine's tests: articles in several languages and the
kinds of boilerplate around them."""

from __future__ import annotations

EN_BODY = [
    "The city council voted on Tuesday to expand the bus network, adding four new routes that "
    "will connect the northern suburbs with the hospital and the university campus.",
    "Officials said the plan would cost about 12 million dollars over three years and that most "
    "of the money would come from a regional transport fund that was approved last spring.",
    "Residents who spoke at the meeting were mostly in favour, although some of them asked why "
    "the service would not start before the end of next year, when the new depot is finished.",
]
DE_BODY = [
    "Der Stadtrat hat am Dienstag beschlossen, das Busnetz zu erweitern, und zwar mit vier neuen "
    "Linien, die die nördlichen Vororte mit dem Krankenhaus und der Universität verbinden.",
    "Nach Angaben der Verwaltung kostet der Plan in den nächsten drei Jahren etwa zwölf Millionen "
    "Euro, die zum größten Teil aus einem regionalen Verkehrsfonds kommen sollen.",
    "Die meisten Bürger, die bei der Sitzung sprachen, waren dafür, auch wenn einige fragten, "
    "warum der Betrieb nicht vor dem Ende des nächsten Jahres beginnen wird.",
]
FR_BODY = [
    "Le conseil municipal a voté mardi pour étendre le réseau de bus, avec quatre nouvelles "
    "lignes qui relieront les quartiers du nord à l'hôpital et au campus de l'université.",
    "Selon la mairie, le projet coûtera environ douze millions d'euros sur trois ans, et la plus "
    "grande partie de cet argent viendra d'un fonds régional pour les transports.",
    "La plupart des habitants qui ont pris la parole pendant la séance étaient pour, même si "
    "certains ont demandé pourquoi le service ne commencera pas avant la fin de l'année prochaine.",
]
RU_BODY = [
    "Городской совет во вторник проголосовал за расширение автобусной сети: появятся четыре "
    "новых маршрута, которые соединят северные районы с больницей и университетом.",
    "По словам чиновников, проект обойдется примерно в двенадцать миллионов за три года, и "
    "большая часть этих денег будет получена из регионального транспортного фонда.",
    "Большинство жителей, которые выступили на заседании, поддержали план, но некоторые из них "
    "спросили, почему автобусы не начнут ходить до конца следующего года.",
]

NAV = ["Skip to content", "Home", "News", "Politics", "Business", "Sport", "Culture", "Search"]
NEWS_FEED = [
    "Latest news",
    "10:42 AM",
    "Storm closes schools across the region.",
    "Heavy rain and strong winds forced the closure of more than forty schools on Tuesday, and "
    "officials warned that the main road to the coast could be flooded again by the evening.",
    "9:15 AM",
    "Museum reopens after long renovation.",
    "The city museum opened its doors again after two years of work, and the first visitors were "
    "able to see the restored paintings in the main hall and the new wing for children.",
]
NEWSLETTER = [
    "Sign up for our newsletter",
    "Enter your email address",
    "Subscribe",
    "* indicates required",
    "Thank you for signing up! We have sent you a confirmation email.",
]
COOKIES = [
    "We use cookies to improve your experience on our website and to show you personalised "
    "advertising. By continuing to browse, you agree to our use of cookies and our privacy policy.",
    "Accept all cookies",
]
COMMENTS = [
    "3 Comments",
    "jsmith",
    "2 days ago at 07:52 am",
    "I think this is a great idea and I have been waiting for a bus to the hospital for years, "
    "so I am very glad that the council finally decided to do something about it, and I hope "
    "that it will be finished on time and that the fares will stay as low as they are now.",
    "Reply",
    "anna_k",
    "2 days ago at 08:10 am",
    "It is a waste of money in my opinion, because most people drive to work anyway and the "
    "buses that we already have are half empty for most of the day, so why would we need more "
    "of them when the roads are in such a bad state and the schools need new roofs as well?",
    "Reply",
]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "© 2022 The Daily Example"]


def dump(*blocks: list[str]) -> str:
    """Join blocks of lines the way a select-all copy does (blank lines between some)."""
    return "\n\n".join("\n".join(block) for block in blocks)
