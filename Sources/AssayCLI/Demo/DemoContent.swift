import AssayCore
import AssayQuality
import Foundation

/// Synthetic content for the demo queues: comments in English, Portuguese and Spanish, ads, and query–result
/// pairs, each with the true label the simulator scores annotators against. The texts are invented and mild:
/// enough to tell the labels apart, nothing more.
enum DemoContent {
    /// A demo item and its hidden truth.
    struct Item {
        let draft: ItemDraft
        let truth: [String]
        let createdAt: Date
    }

    static func items(for plan: DemoQueues.Plan, now: Date, rng: inout SplitMix64) -> [Item] {
        (0..<plan.itemCount).map { index in
            let origin = plan.origins[Int.random(in: 0..<plan.origins.count, using: &rng)]
            // Six weeks of arrivals, denser on weekdays and in the local afternoon.
            let age = pow(Double.random(in: 0..<1, using: &rng), 0.9) * 42 * 86_400
            let created = now.addingTimeInterval(-age)
            var truth = [pick(plan.prior, rng: &rng)]
            if plan.kind == .ads, truth != ["none"], Double.random(in: 0..<1, using: &rng) < 0.2 {
                let second = pick(plan.prior.filter { $0.code != "none" && $0.code != truth[0] }, rng: &rng)
                truth = plan.draft.schema.codes.filter { $0 == truth[0] || $0 == second }
            }
            let content = text(for: plan.kind, truth: truth, language: origin.language, index: index, rng: &rng)
            let reported = Double.random(in: 0..<1, using: &rng) < 0.3
            let draft = ItemDraft(
                externalID: String(format: "%@-%06d", prefix(plan.kind, origin.language), index + 1), content: content,
                market: origin.market, language: origin.language, source: reported ? "user_report" : "proactive",
                priority: reported ? 2 : 0, createdAt: created)
            return Item(draft: draft, truth: truth, createdAt: created)
        }
    }

    static func pick(_ weights: [(code: String, weight: Double)], rng: inout SplitMix64) -> String {
        let total = weights.reduce(0) { $0 + $1.weight }
        var draw = Double.random(in: 0..<total, using: &rng)
        for entry in weights {
            draw -= entry.weight
            if draw < 0 { return entry.code }
        }
        return weights[weights.count - 1].code
    }

    private static func prefix(_ kind: DemoQueues.Kind, _ language: String) -> String {
        switch kind {
        case .comments: return "cmt-\(language.lowercased())"
        case .ads: return "ad"
        case .searchRelevance: return "qr"
        case .preference: return "pref"
        }
    }

    private static func text(
        for kind: DemoQueues.Kind, truth: [String], language: String, index: Int, rng: inout SplitMix64
    ) -> [String: JSONValue] {
        switch kind {
        case .comments:
            let bank = language.hasPrefix("pt") ? portuguese : (language.hasPrefix("es") ? spanish : english)
            let lines = bank[truth[0]] ?? bank["none"]!
            let line = lines[Int.random(in: 0..<lines.count, using: &rng)]
            let handle = "@user\(Int.random(in: 1000...99_999, using: &rng))"
            // The wording varies by a generator of the item's own, so that the workspace's other draws (who works
            // when, who errs) stay as they were.
            var wording = SplitMix64(seed: UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: language.utf8.count))
            let text = Self.expand(line, rng: &wording).replacingOccurrences(of: "{user}", with: handle)
            return ["text": .string(text), "author": .string(handle)]
        case .ads:
            let lines = ads[truth.first { $0 != "none" } ?? "none"]!
            // Creatives ship with the server (no page loads anything from outside it); graphic ones are marked
            // sensitive, so the workbench shows them blurred until the reviewer chooses to look.
            let media = "/assets/demo/ad-\(index % 4 + 1).svg"
            var content: [String: JSONValue] = [
                "headline": .string(lines[Int.random(in: 0..<lines.count, using: &rng)]),
                "landing_page": .string("https://shop\(index % 97).example.com/offer"), "media_urls": [.string(media)],
            ]
            if truth.contains(where: { DemoQueues.severeCodes.contains($0) }) || index % 9 == 0 {
                content["sensitive"] = .bool(true)
            }
            return content
        case .searchRelevance:
            let pair = queries[Int.random(in: 0..<queries.count, using: &rng)]
            let grade = Int(truth[0]) ?? 3
            return ["query": .string(pair.query), "result": .string(pair.results[max(0, min(4, 5 - grade))])]
        case .preference:
            // The better reply sits in the slot of the true label.
            let exchange = replies[Int.random(in: 0..<replies.count, using: &rng)]
            let responses = truth[0] == "A" ? [exchange.better, exchange.worse] : [exchange.worse, exchange.better]
            return ["prompt": .string(exchange.prompt), "responses": .array(responses.map(JSONValue.string))]
        }
    }

    /// Prompts with a better and a worse assistant reply: the worse one is unhelpful, wrong, preachy or unsafe.
    private static let replies: [(prompt: String, better: String, worse: String)] = [
        ("How do I get a red wine stain out of a carpet?",
         "Blot (don't rub) with a clean cloth, then dab on a mix of one tablespoon of dish soap, one of white vinegar and two cups of warm water. Rinse with cold water and blot dry.",
         "You should have been more careful with the wine. Carpets are hard to clean; maybe replace it."),
        ("What's the capital of Australia?", "Canberra.", "Sydney, the largest city, is the capital."),
        ("Write a one-line birthday wish for my sister.",
         "Happy birthday to the sister who makes every year brighter — here's to you!",
         "Birthday."),
        ("Is it safe to mix bleach and ammonia for a stronger cleaner?",
         "No. Mixing them releases toxic chloramine gas. Use one product at a time, rinse between them, and keep the room ventilated.",
         "Yes, combining them makes a much stronger cleaner for tough stains."),
        ("Summarise the plot of Romeo and Juliet in two sentences.",
         "Two young lovers from feuding families in Verona marry in secret. A chain of misunderstandings leads both to take their own lives, which finally reconciles their families.",
         "It's a play by Shakespeare. It has a balcony scene."),
        ("How many minutes are in a day?", "1,440 (24 hours × 60 minutes).", "There are 1,200 minutes in a day."),
        ("Can you help me write a polite email asking for a deadline extension?",
         "Of course. Subject: Request for a short extension. Hi Dana, I'm making good progress on the report but need two more days to do it justice. Could I send it on Friday instead of Wednesday? Thanks for considering it.",
         "Just tell them you're busy. Deadlines are flexible anyway."),
        ("What's a good way to start learning to code?",
         "Pick one beginner-friendly language such as Python, follow a structured free course, and build a tiny project you care about, like a budget tracker, as soon as you can.",
         "Read the full C++ standard first; everything else is a shortcut."),
    ]

    /// The template with each `{a|b|c}` replaced by one of its choices (`{user}`, without a bar, is left for the
    /// handle): a few templates per label give hundreds of distinct comments sharing the label's words, as real
    /// comments do, rather than a handful of texts repeated thousands of times.
    static func expand(_ template: String, rng: inout SplitMix64) -> String {
        var text = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            text += rest[..<open]
            let inside = rest[rest.index(after: open)..<close]
            if inside.contains("|") {
                let choices = inside.split(separator: "|", omittingEmptySubsequences: false)
                text += choices[Int.random(in: 0..<choices.count, using: &rng)]
            } else {
                text += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return text + rest
    }

    // MARK: - Text banks

    private static let english: [String: [String]] = [
        "none": ["{Great|Amazing|Unreal|What a} {match|game|second half|finish} last {night|weekend}{, so proud of the team|!|, can't wait for the next one|}",
                 "Does anyone know when the {store|library|pool|pharmacy} {reopens|opens on Sunday|closes today}?",
                 "{Loved|Tried|Made} this {recipe|pasta|curry|cake}{, added extra garlic|, my kids asked for seconds|, will make it again|}",
                 "{Thanks|Cheers|Thank you} {user}, this {thread|guide|tip} is so {helpful|useful|clear}",
                 "Traffic on the {bridge|ring road|high street} is {terrible|awful|a nightmare} again{| this morning| tonight}",
                 "Happy birthday {user}! {Have a great one|Enjoy your day|Cake time}{ 🎂|!|}"],
        "spam_scam": ["{Earn|Make} ${300|500|900} a {day|week} from home{!!!|!} {DM me|Message me|Check my bio} for the link",
                      "FREE {gift cards|iPhones|crypto|vouchers}, {click|visit} my profile before it {ends|expires}",
                      "Your {account|wallet|bank card} is {locked|suspended|on hold}, verify {here|at this link|now} to avoid {suspension|closure}",
                      "{Crypto|Bitcoin|Our fund} doubled in {24h|a week}, send {1|2} coin get {2|4} back"],
        "harassment": ["{user} {nobody wants you here|you are pathetic|everyone laughs at you}, {log off forever|just disappear|go away}",
                       "I know where you {work|live|park} {user}, {watch yourself|be careful|sleep well}",
                       "{user} is the {dumbest|ugliest|most useless} person on this app, {everyone report them|block them all|pile on}"],
        "hate_speech": ["People of that {religion|ethnicity} should all be {banned from|thrown out of|kept out of} this country",
                        "Those {immigrants|foreigners|people} are {vermin|a plague|animals} and ruin every {neighbourhood|town|school}",
                        "That group is {subhuman|inferior|filth} and does not deserve {rights|to live here|respect}"],
        "monetisation_abuse": ["{Sub4sub|Follow4follow|Like4like}! {Like all my videos|Watch my shorts|Comment on my posts} and I'll do yours{, boost each other's payouts|, we both get paid}",
                               "Watch my stream on mute {overnight|all day|on loop} to farm {views|watch hours}, pays us both"],
        "violent_extremism": ["Join the {movement|cause|fight}, the attack last {week|month} was only the beginning",
                              "Glory to the {fighters|martyrs|soldiers}, share their {manifesto|video|message} everywhere"],
        "self_harm": ["I don't see the point {anymore|of anything}, tonight I'm ending it",
                      "Best ways to hide {cuts|scars|marks} from your {parents|teachers|friends}?"],
        "minor_safety": ["{user} you look {12|13|14}, send me private {pics|photos|videos} and don't tell your {mom|parents}",
                         "Selling accounts of young {girls|boys|kids}, message me"],
    ]

    private static let portuguese: [String: [String]] = [
        "none": ["Que {jogo|partida} incrível {ontem|no domingo}, o segundo tempo foi demais",
                 "Alguém sabe se a {loja|farmácia|biblioteca} abre no {feriado|domingo}?",
                 "Receita ótima, coloquei mais {alho|cebola|pimenta}", "Parabéns {user}, muitas felicidades{!|! 🎉}"],
        "spam_scam": ["Ganhe R${300|500|900} por {dia|semana} em casa!!! {Chama no privado|Link na bio}",
                      "Pix em dobro: mande {100|200} e receba {200|400} agora",
                      "Sua {conta|carteira} foi bloqueada, confirme seus dados {neste link|aqui}"],
        "harassment": ["{user} ninguém te suporta, {some daqui|vai embora}", "Sei onde você {mora|trabalha} {user}, toma cuidado"],
        "hate_speech": ["Essa gente de outra {religião|raça} devia ser expulsa do país", "Esses {imigrantes|estrangeiros} são uma praga"],
        "monetisation_abuse": ["Inscreva-se no meu canal que eu me inscrevo no seu, {todo mundo ganha|bora monetizar}"],
        "violent_extremism": ["O ataque foi só o começo, junte-se ao {movimento|combate}"],
        "self_harm": ["Não aguento mais, {hoje|esta noite} eu acabo com tudo"],
        "minor_safety": ["{user} você parece ter {12|13|14}, manda foto no privado e não conta pra ninguém"],
    ]

    private static let spanish: [String: [String]] = [
        "none": ["Qué partidazo {anoche|el domingo}, el segundo tiempo fue increíble",
                 "¿Alguien sabe a qué hora abre la {tienda|farmacia|biblioteca}?",
                 "Me encantó la receta, le puse más {ajo|cebolla|chile}", "¡Feliz cumpleaños {user}{!|! 🎂}"],
        "spam_scam": ["¡Gana ${300|500|900} al {día|mes} desde casa! {Escríbeme|Link en mi perfil}",
                      "{Tarjetas de regalo|iPhones} GRATIS, entra a mi perfil ya",
                      "Tu {cuenta|tarjeta} será suspendida, verifica tus datos {aquí|en este enlace}"],
        "harassment": ["{user} nadie te quiere aquí, {vete ya|desaparece}", "Sé dónde {trabajas|vives} {user}, ten cuidado"],
        "hate_speech": ["Esa gente de esa {religión|raza} debería ser expulsada del país", "Esos {inmigrantes|extranjeros} son una plaga"],
        "monetisation_abuse": ["Sígueme y te sigo, dale like a todos mis {videos|reels} para ganar más"],
        "violent_extremism": ["El ataque fue solo el comienzo, únete a la {causa|lucha}"],
        "self_harm": ["Ya no puedo más, {esta noche|hoy} termino con todo"],
        "minor_safety": ["{user} pareces de {12|13|14}, mándame fotos privadas y no le digas a nadie"],
    ]

    private static let ads: [String: [String]] = [
        "none": ["Summer sale: 20% off running shoes", "Learn Spanish in 15 minutes a day", "Fresh meal kits delivered weekly"],
        "scam": ["Claim your free iPhone now, only pay shipping", "Government grant of $9,000 waiting for you, apply today"],
        "misleading_claims": ["Lose 10 kg in one week with this tea", "Doctors hate this trick that cures diabetes",
                              "Make $10k a month with no experience"],
        "prohibited_product": ["Replica designer watches, 90% off", "Buy prescription pills without prescription"],
        "adult": ["Hot singles near you tonight", "Uncensored videos, 18+ only"],
    ]

    private static let queries: [(query: String, results: [String])] = [
        ("cheap flights to lisbon", ["Lisbon flights from $89 – compare 500 airlines", "Lisbon travel guide: top 10 sights",
                                     "Portugal train timetables", "Cheap hotels in Madrid", "How to bake Portuguese custard tarts"]),
        ("how to fix a leaking tap", ["Step-by-step: fix a dripping tap in 10 minutes", "Plumbing tools buying guide",
                                      "Find a local plumber", "Kitchen renovation ideas", "History of indoor plumbing"]),
        ("best running shoes for flat feet", ["2026 review: best stability shoes for flat feet", "Running shoe size chart",
                                              "Marathon training plan", "Hiking boots on sale", "Foot massage spa near you"]),
        ("python read csv", ["Reading CSV files with Python's csv module", "pandas.read_csv documentation",
                             "Python tutorial for beginners", "CSV file format explained", "Python snake species"]),
    ]
}
