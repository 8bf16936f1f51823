"""A campaign with a five-theme codebook (English and Spanish) and notes residents give, for coding tests."""

from __future__ import annotations

from porchlight.insights.models import Theme
from porchlight.outreach.models import Campaign, Conversation
from porchlight.testing.factories import CampaignFactory, ConversationFactory

THEMES = [
    (
        "Community safety",
        "Feeling safe at home, on the street and with the police.",
        "Seguridad en la comunidad",
        "Sentirse seguro en casa, en la calle y con la policía.",
    ),
    (
        "Trust",
        "Trust between residents, the police and the city.",
        "Confianza",
        "La confianza entre los residentes, la policía y la ciudad.",
    ),
    (
        "Accountability",
        "Who answers for what the city promised, and how residents can tell.",
        "Rendición de cuentas",
        "Quién responde por lo que la ciudad prometió.",
    ),
    (
        "Affordable housing",
        "Rents, repairs, displacement and owning a home.",
        "Vivienda asequible",
        "Rentas, reparaciones, desplazamiento y ser dueño de una casa.",
    ),
    (
        "Good-paying jobs",
        "Wages, training, transportation to work and small business.",
        "Empleos bien pagados",
        "Salarios, capacitación, transporte al trabajo y pequeños negocios.",
    ),
]

# (language, notes) - the kind of thing ambassadors write down; enough of them to calibrate the coder.
NOTES = [
    ("en", "Rent went up again and the landlord will not fix the leak in the kitchen."),
    ("en", "Worried about being evicted, the apartment costs more than half of her income."),
    ("en", "Wants to buy a home someday but prices keep climbing in the neighborhood."),
    ("en", "Needs a job that pays a living wage, two part-time jobs are not enough."),
    ("en", "Asked about job training programs and an apprenticeship for his son."),
    ("en", "Small business owner says the city should help shops on the corridor hire locally."),
    ("en", "Does not feel safe walking at night, there were shootings on the block last month."),
    ("en", "Break-ins on the street, wants more police patrols and better lighting."),
    ("en", "Kids cannot play outside because of the violence near the park."),
    ("en", "Does not trust the police after what happened in September."),
    ("en", "Feels the city does not listen to residents of the west side."),
    ("en", "Officers should get to know the neighbors so people can trust them again."),
    ("en", "Wants to know who is responsible when the city breaks its promises."),
    ("en", "The council promised a grocery store years ago, who answers for that?"),
    ("en", "Wants public reports on what was done with the money from the bond."),
    ("es", "La renta subió otra vez y el dueño no quiere hacer las reparaciones."),
    ("es", "Tiene miedo de que los desalojen, el alquiler es muy caro."),
    ("es", "Busca un trabajo con mejor salario, gana muy poco en la fábrica."),
    ("es", "Quiere capacitación para conseguir un empleo mejor pagado."),
    ("es", "No se siente segura en la calle de noche, hay muchos robos."),
    ("es", "Pide más patrullas de la policía en el barrio por la violencia."),
    ("es", "No confía en la policía ni en la ciudad."),
    ("es", "La ciudad prometió arreglar el parque y nadie responde por eso."),
    ("en", "Bus takes two hours to get to work downtown, lost a job because of it."),
    ("en", "Property taxes are pushing older homeowners out of the neighborhood."),
    ("en", "The police never came when she called about the fight next door."),
    ("en", "Mentioned that the church holds a fish fry every Friday."),
    ("en", "Enjoyed the festival last weekend and the music was great."),
]


def coding_campaign(*, with_notes: bool = True) -> Campaign:
    """A campaign with the five themes and, optionally, one conversation per note above."""
    campaign = CampaignFactory()
    for name, description, name_es, description_es in THEMES:
        Theme.objects.create(
            campaign=campaign,
            name=name,
            description=description,
            name_es=name_es,
            description_es=description_es,
        )
    if with_notes:
        for language, notes in NOTES:
            ConversationFactory(campaign=campaign, language=language, notes=notes, resident=None)
    return campaign


def conversation(campaign: Campaign, notes: str, language: str = "en", **fields: object) -> Conversation:
    return ConversationFactory(campaign=campaign, language=language, notes=notes, resident=None, **fields)
