"""Small stopword lists (the most frequent function words) for the languages we meet most.

Used twice: the share of stopwords in a line tells prose from navigation, and which list a text
hits most tells its language. Each list holds words frequent in running text and rare in menus.
"""

from __future__ import annotations

_RAW: dict[str, str] = {
    "en": "the of and to in a is that for it was on with as by at from be this have are not "
    "but or his her they he she we an which their has been were had will would who there "
    "its also more than about after into when can said one all so what if",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als "
    "auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über "
    "so zum war haben nur oder aber vor zur bis mehr durch man",
    "fr": "de la le et les des en un une du est que pour qui dans a par plus pas au sur ne se "
    "ce il sont aux avec ou son sa elle nous vous leur été mais comme cette",
    "es": "de la que el en y a los se del las un por con no una su para es al lo como más "
    "pero sus le ya o fue este ha sí porque esta son entre cuando muy sin sobre",
    "it": "di e il la che in a per un è del non una con i le si da sono al come della più "
    "anche ma gli nel alla questo ha lo se nella delle dei suo",
    "pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas "
    "foi ao ele das tem à seu sua ou ser quando muito há nos já está também",
    "nl": "de het een van en in is dat op te zijn met voor niet aan er om ook als bij dan "
    "maar door naar hij ze was worden wordt nog zo uit",
    "sv": "och i att det som en på är av för med till den har de inte om ett han men var jag "
    "sig från vi så kan",
    "da": "og i at det en den til er som på de med af for ikke der var han et har men om "
    "vi fra så kan",
    "pl": "i w na z że do się nie to jest o jak a po co przez od ale za oraz jego tym są czy "
    "dla tak już być",
    "cs": "a v se na je že s z do o to i jako by pro ale jsou jeho byl po podle které který "
    "která také",
    "ru": "и в не на что с по как это он к но из у за от о то так все она же был для да "
    "ее его или бы только уже было при",
    "uk": "і в на що з не до у та як це для за від по але він його є про які було також "
    "й її вже або",
    "tr": "ve bir bu da de için ile çok ne daha gibi olarak en o ama kadar olan sonra her ise",
    "id": "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena ada "
    "oleh saya mereka bisa atau",
    "ro": "și în de la a cu că pe o din nu un se este care mai sau pentru au fost",
    "hu": "a az és hogy nem is egy meg de van csak el ez már volt mint ki",
    "fi": "ja on ei se että oli hän mutta ovat kun myös joka tai sen kuin",
}

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _RAW.items()
}
"""language code -> its stopwords (lower case)."""

ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())
"""Every stopword of every list: a language-blind test of 'is this a function word'."""
