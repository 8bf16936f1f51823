"""A small bilingual vocabulary of what residents talk to a city about, for zero-shot theme coding.

A theme's name and description are a handful of words; residents use many others for the same thing
("rent", "landlord", "alquiler"). Each concept below is a family of related English and Spanish words. A
theme whose own text mentions any word of a family is expanded with the whole family, so notes in either
language that use other words of the family match it. The families are general municipal vocabulary (the way
311 categories and city budgets are organized), deliberately not fitted to any data set; a city relies on its
theme descriptions and example notes for anything local. Words as general as "community", "city" or
"service" appear in too many theme names to be evidence, so they do not open a family on their own.
"""

from __future__ import annotations

CONCEPTS: list[tuple[str, str]] = [
    # (English words, Spanish words)
    (
        "housing home homes house houses apartment apartments rent rents renter renters tenant tenants "
        "landlord landlords lease eviction evictions evicted affordable affordability mortgage homeowner "
        "homeownership displacement displaced gentrification shelter homeless homelessness",
        "vivienda viviendas casa casas hogar apartamento apartamentos renta rentas alquiler alquileres "
        "inquilino inquilinos arrendador dueno desalojo desalojos asequible hipoteca propietario "
        "desplazamiento gentrificacion refugio indigente",
    ),
    (
        "repair repairs maintenance mold leak leaks broken heat heating code inspection blight vacant "
        "abandoned dilapidated",
        "reparacion reparaciones mantenimiento moho gotera goteras roto calefaccion inspeccion abandonado "
        "abandonada deteriorado",
    ),
    (
        "safety safe unsafe crime crimes criminal violence violent shooting shootings gun guns theft "
        "robbery break-in burglary gang gangs drug dealing fear afraid danger dangerous",
        "seguridad seguro segura inseguro crimen crimenes delito violencia violento balacera balaceras "
        "disparos arma armas robo robos asalto pandilla pandillas miedo peligro peligroso",
    ),
    (
        "police officer officers cop cops patrol patrols policing sheriff law enforcement 911 emergency "
        "response",
        "policia policias oficial oficiales patrulla patrullas agente agentes emergencia respuesta",
    ),
    (
        "trust distrust respect relationship relationships listen listened fair fairness honest "
        "transparency transparent communication engagement",
        "confianza desconfianza respeto relacion relaciones escuchar escuchan justo justicia honesto "
        "transparencia transparente comunicacion participacion",
    ),
    (
        "accountability accountable responsible responsibility promise promises promised oversight "
        "misconduct complaint complaints report reports results answer",
        "rendicion cuentas responsable responsabilidad promesa promesas prometieron supervision "
        "conducta queja quejas informe informes resultados",
    ),
    (
        "government council mayor officials elected election elections vote voting budget taxes tax "
        "administration policy policies public meeting meetings",
        "gobierno concejo consejo alcalde funcionarios electos eleccion elecciones voto votar "
        "presupuesto impuestos administracion politica publica reunion reuniones",
    ),
    (
        "jobs job work employment employer employers unemployed wage wages pay paid salary income living "
        "career careers hiring hire workforce",
        "empleo empleos trabajo trabajos trabajar empleador desempleado salario salarios sueldo paga "
        "ingreso ingresos carrera contratar",
    ),
    (
        "training skills apprenticeship apprenticeships certificate college degree learn learning",
        "capacitacion entrenamiento habilidades aprendiz certificado universidad titulo aprender aprendizaje",
    ),
    (
        "business businesses small shop shops store stores economy economic development downtown "
        "entrepreneur entrepreneurs investment growth industry tourism",
        "negocio negocios pequeno tienda tiendas economia economico desarrollo centro empresario "
        "emprendedores inversion crecimiento industria turismo",
    ),
    (
        "school schools education student students teacher teachers classroom classes graduation "
        "literacy tutoring university",
        "escuela escuelas educacion estudiante estudiantes maestro maestros maestra clases graduacion "
        "alfabetizacion tutoria",
    ),
    (
        "youth kids children child teens teenagers young after-school recreation programs camp",
        "jovenes juventud ninos nino hijos adolescentes joven programas recreacion campamento",
    ),
    (
        "transportation transit bus buses route routes ride rides commute train rail light-rail station "
        "stops",
        "transporte autobus autobuses camion ruta rutas viaje tren estacion parada paradas",
    ),
    (
        "traffic road roads street streets lane lanes intersection speed speeding cars driving drivers "
        "parking highway potholes pothole paving",
        "trafico calle calles carretera carril interseccion velocidad carros autos manejar conductores "
        "estacionamiento baches pavimento",
    ),
    (
        "sidewalk sidewalks crosswalk crosswalks walk walking walkable bike bikes bicycle pedestrians "
        "trail trails greenway",
        "acera aceras banqueta banquetas cruce caminar peatones bicicleta bicicletas sendero senderos",
    ),
    (
        "park parks green space playground playgrounds trees recreation sports field pool",
        "parque parques verde espacio juegos arboles recreacion deportes cancha piscina",
    ),
    (
        "environment environmental pollution air water river creek flooding flood climate recycling "
        "trash litter garbage waste clean",
        "ambiente ambiental contaminacion aire agua rio arroyo inundacion inundaciones clima reciclaje "
        "basura desechos limpio limpieza",
    ),
    (
        "health healthcare clinic clinics doctor doctors hospital insurance medical medicine care mental "
        "addiction opioid opioids overdose treatment",
        "salud clinica clinicas doctor doctores medico hospital seguro medica medicina atencion mental "
        "adiccion opioides sobredosis tratamiento",
    ),
    (
        "food hunger hungry grocery groceries meals meal pantry nutrition fresh",
        "comida alimentos hambre supermercado mercado comidas despensa nutricion fresca",
    ),
    (
        "utilities utility electric electricity power water bill bills gas internet broadband wifi",
        "servicios electricidad luz agua factura facturas cuenta gas internet banda ancha",
    ),
    (
        "infrastructure sewer drainage streetlights lights lighting bridge bridges construction pipes",
        "infraestructura alcantarillado drenaje alumbrado luces iluminacion puente puentes construccion "
        "tuberias",
    ),
    (
        "zoning land development developers density neighborhood neighborhoods property properties lots "
        "planning growth annexation",
        "zonificacion terreno terrenos desarrollo constructoras densidad barrio barrios vecindario "
        "propiedad propiedades lotes planificacion",
    ),
    (
        "neighbors neighbor events event library libraries center centers arts culture festival church "
        "churches volunteer volunteers",
        "vecinos vecino eventos evento biblioteca bibliotecas centro centros arte cultura festival iglesia "
        "iglesias voluntario voluntarios",
    ),
    (
        "seniors elderly older aging disability disabilities disabled accessible accessibility",
        "mayores ancianos tercera edad discapacidad discapacidades accesible accesibilidad",
    ),
    (
        "immigrant immigrants immigration language spanish english translation interpreter documents "
        "papers deportation",
        "inmigrante inmigrantes inmigracion idioma espanol ingles traduccion interprete documentos papeles "
        "deportacion",
    ),
    (
        "racism race racial discrimination equity equality inequality poverty poor segregation",
        "racismo raza racial discriminacion equidad igualdad desigualdad pobreza pobres segregacion",
    ),
]
