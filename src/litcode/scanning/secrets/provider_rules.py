"""Provider credentials that carry their own prefix: ``ghp_``, ``xoxb-``, ``glpat-``, ``sk_live_``...

One row per format, learnt from the providers' documentation and the public
descriptions of gitleaks' and trufflehog's rule sets (the rows are our own
regexes). A prefix makes a token recognisable anywhere, in any language, so
these rules need no context and score 0.95. Each row names the literal(s)
every match contains; the scanner's keyword prefilter (on lowercased text)
decides whether the regex runs at all, so adding rows costs one substring
search each, not one regex pass.

>>> rules = {rule.kind: rule for rule in prefixed_token_rules()}
>>> [m.kind for m in rules["pypi_token"].find("pypi-AgEIcHlwaS5vcmc" + "Qk9xR7dK2pVw8LzT4nYc1fHs6JbE0aUg3iXo5rMe9Wk_Zp0tVb")]
['pypi_token']
"""

# ruff: noqa: E501  (a table of regexes and fixtures reads best one row per line)

from __future__ import annotations

from litcode.scanning.secrets.rules import PatternRule, SecretRule

_ALNUM_END = r"(?![A-Za-z0-9])"
_TOKEN_END = r"(?![A-Za-z0-9_-])"
_B64_END = r"(?![A-Za-z0-9+/=_-])"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

# (kind, regex, keywords). The regex starts with the literal prefix, so the
# regex engine can skip ahead to it; the end guard keeps a longer run from matching.
PREFIXED_FORMATS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # Cloud
    ("aws_bedrock_api_key", r"ABSK[A-Za-z0-9+/]{109,269}={0,2}" + _B64_END, ("ABSK",)),
    ("azure_ad_client_secret", r"[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}" + _TOKEN_END, ("Q~",)),
    ("azure_storage_key", r"AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)", ("AccountKey=",)),
    ("azure_shared_access_key", r"SharedAccessKey=(?P<secret>[A-Za-z0-9+/]{42,44}=)", ("SharedAccessKey=",)),
    ("azure_devops_pat", r"[A-Za-z0-9]{52}AZDO[A-Za-z0-9]{4}" + _ALNUM_END, ("AZDO",)),
    ("google_oauth_client_secret", r"GOCSPX-[A-Za-z0-9_-]{28}" + _TOKEN_END, ("GOCSPX-",)),
    ("google_oauth_access_token", r"ya29\.[0-9A-Za-z_-]{30,}" + _TOKEN_END, ("ya29.",)),
    ("firebase_cloud_messaging_key", r"AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}", (":APA91b",)),
    ("digitalocean_token", r"do[opr]_v1_[a-f0-9]{64}" + _ALNUM_END, ("_v1_",)),
    ("alibaba_access_key_id", r"LTAI[A-Za-z0-9]{12,20}" + _ALNUM_END, ("LTAI",)),
    ("tencent_secret_id", r"AKID[A-Za-z0-9]{32}" + _ALNUM_END, ("AKID",)),
    ("ibm_cloud_iam_key", r"crn:v1:bluemix:[a-z:]+:a/[a-f0-9]{32}::serviceid:", ("bluemix",)),
    ("yandex_access_token", r"t1\.[A-Z0-9a-z_-]+={0,2}\.[A-Z0-9a-z_-]{86}={0,2}", ("t1.",)),
    ("yandex_api_key", r"AQVN[A-Za-z0-9_-]{35,38}" + _TOKEN_END, ("AQVN",)),
    ("heroku_api_key", r"HRKU-AA[0-9A-Za-z_-]{58}" + _TOKEN_END, ("HRKU-",)),
    (
        "flyio_token",
        r"(?:fo1_[\w-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})" + _B64_END,
        ("fo1_", "fm1", "fm2"),
    ),
    ("render_api_key", r"rnd_[A-Za-z0-9]{32}" + _ALNUM_END, ("rnd_",)),
    ("scalingo_token", r"tk-us-[\w-]{48}" + _TOKEN_END, ("tk-us-",)),
    (
        "supabase_token",
        r"(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{31,})" + _TOKEN_END,
        ("sbp_", "sb_secret_"),
    ),
    ("neon_api_key", r"napi_[a-z0-9]{64}" + _ALNUM_END, ("napi_",)),
    ("planetscale_token", r"pscale_(?:tkn|pw|oauth)_[\w=.-]{32,64}" + _TOKEN_END, ("pscale_",)),
    ("cloudflare_origin_ca_key", r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}" + _ALNUM_END, ("v1.0-",)),
    (
        "tailscale_key",
        r"tskey-(?:api|auth|client|webhook|scim)-[A-Za-z0-9]{6,}-[A-Za-z0-9]{20,}",
        ("tskey-",),
    ),
    ("hashicorp_vault_token", r"hv[sb]\.[\w-]{90,300}" + _TOKEN_END, ("hvs.", "hvb.")),
    ("terraform_cloud_token", r"[a-z0-9]{14}\.atlasv1\.[a-z0-9_=-]{60,70}" + _TOKEN_END, (".atlasv1.",)),
    ("doppler_token", r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}" + _ALNUM_END, ("dp.",)),
    ("pulumi_token", r"pul-[a-f0-9]{40}" + _ALNUM_END, ("pul-",)),
    ("dynatrace_token", r"dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}" + _ALNUM_END, ("dt0c01.",)),
    ("openshift_token", r"sha256~[\w-]{43}" + _TOKEN_END, ("sha256~",)),
    ("onepassword_service_token", r"ops_eyJ[A-Za-z0-9+/]{250,}={0,3}", ("ops_eyJ",)),
    (
        "onepassword_secret_key",
        r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
        ("A3-",),
    ),
    ("age_secret_key", r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", ("AGE-SECRET-KEY-",)),
    # Version control, CI, package registries
    (
        "gitlab_token",
        r"gl(?:dt|rt|ptt|cbt|imt|agent|oas|ffct|ft|soat)-[0-9A-Za-z_-]{20,64}" + _TOKEN_END,
        ("gldt-", "glrt-", "glptt-", "glcbt-", "glimt-", "glagent-", "gloas-", "glffct-", "glft-", "glsoat-"),
    ),
    ("gitlab_runner_registration_token", r"GR1348941[\w-]{20}" + _TOKEN_END, ("GR1348941",)),
    ("bitbucket_app_password", r"ATBB[A-Za-z0-9_=.-]{32}" + _TOKEN_END, ("ATBB",)),
    ("atlassian_api_token", r"AT(?:ATT|CTT)3[A-Za-z0-9_=-]{186}" + _TOKEN_END, ("ATATT3", "ATCTT3")),
    ("circleci_token", r"CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}" + _ALNUM_END, ("CCIPAT_",)),
    ("buildkite_token", r"bkua_[a-f0-9]{40}" + _ALNUM_END, ("bkua_",)),
    ("sonarqube_token", r"sq[pua]_[a-f0-9]{40}" + _ALNUM_END, ("sqp_", "squ_", "sqa_")),
    ("sourcegraph_token", r"sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}" + _ALNUM_END, ("sgp_",)),
    ("pypi_token", r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}" + _TOKEN_END, ("pypi-AgEI",)),
    ("rubygems_token", r"rubygems_[a-f0-9]{48}" + _ALNUM_END, ("rubygems_",)),
    ("nuget_api_key", r"oy2[a-z0-9]{43}" + _ALNUM_END, ("oy2",)),
    ("docker_hub_token", r"dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,}" + _TOKEN_END, ("dckr_",)),
    ("clojars_token", r"CLOJARS_[a-z0-9]{60}" + _ALNUM_END, ("CLOJARS_",)),
    ("jfrog_api_key", r"AKCp[A-Za-z0-9]{69}" + _ALNUM_END, ("AKCp",)),
    ("octopus_deploy_key", r"API-[A-Z0-9]{26}" + _ALNUM_END, ("API-",)),
    ("prefect_token", r"pnu_[a-zA-Z0-9]{36}" + _ALNUM_END, ("pnu_",)),
    ("readme_api_key", r"rdme_[a-z0-9]{70}" + _ALNUM_END, ("rdme_",)),
    (
        "harness_token",
        r"(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}" + _ALNUM_END,
        ("pat.", "sat."),
    ),
    ("infracost_api_key", r"ico-[A-Za-z0-9]{32}" + _ALNUM_END, ("ico-",)),
    ("postman_api_key", r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}" + _ALNUM_END, ("PMAK-",)),
    ("linear_api_key", r"lin_api_[A-Za-z0-9]{40}" + _ALNUM_END, ("lin_api_",)),
    (
        "notion_token",
        r"(?:secret_[A-Za-z0-9]{43}|ntn_[0-9]{11}[A-Za-z0-9]{35})" + _ALNUM_END,
        ("secret_", "ntn_"),
    ),
    ("figma_token", r"figd_[\w-]{40}" + _TOKEN_END, ("figd_",)),
    ("typeform_token", r"tfp_[A-Za-z0-9_.=-]{59}" + _TOKEN_END, ("tfp_",)),
    ("frameio_token", r"fio-u-[A-Za-z0-9_=-]{64}" + _TOKEN_END, ("fio-u-",)),
    ("contentful_token", r"CFPAT-[\w-]{43}" + _TOKEN_END, ("CFPAT-",)),
    (
        "grafana_token",
        r"(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})" + _B64_END,
        ("glc_", "glsa_"),
    ),
    ("grafana_api_key", r"eyJrIjoi[A-Za-z0-9]{70,400}={0,2}" + _B64_END, ("eyJrIjoi",)),
    (
        "sentry_token",
        r"(?:sntrys_eyJpYXQiO[A-Za-z0-9+/=_]{60,400}|sntryu_[a-f0-9]{64})" + _B64_END,
        ("sntry",),
    ),
    (
        "new_relic_key",
        r"NR(?:AK|II|JS|AA)-[A-Za-z0-9]{19,32}" + _ALNUM_END,
        ("NRAK-", "NRII-", "NRJS-", "NRAA-"),
    ),
    ("settlemint_token", r"sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}" + _ALNUM_END, ("sm_",)),
    ("nightfall_api_key", r"NF-[A-Za-z0-9]{32}" + _ALNUM_END, ("NF-",)),
    ("defined_networking_key", r"dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}", ("dnkey-",)),
    ("intra42_secret", r"s-s4t2(?:ud|af)-[a-f0-9]{64}" + _ALNUM_END, ("s-s4t2",)),
    # Chat and webhooks
    ("slack_token", r"xox(?:b|a|p|r|s)-(?:\d{8,13}-){1,3}[A-Za-z0-9-]{8,64}" + _ALNUM_END, ("xox",)),
    ("slack_token", r"xoxe(?:\.xox[bp])?-\d-[A-Z0-9]{140,170}" + _ALNUM_END, ("xoxe",)),
    ("slack_app_token", r"xapp-\d-[A-Z0-9]{9,13}-\d{10,16}-[a-z0-9]{40,80}" + _ALNUM_END, ("xapp-",)),
    (
        "slack_webhook",
        r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}",
        ("hooks.slack.com",),
    ),
    (
        "discord_webhook",
        r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/[\w-]{60,70}",
        ("/api/webhooks/",),
    ),
    ("telegram_bot_token", r"\d{8,10}:AA[0-9A-Za-z_-]{33}" + _TOKEN_END, (":AA",)),
    (
        "teams_webhook",
        r"https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/[a-z0-9-]{36}@[a-z0-9-]{36}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9-]{36}",
        ("webhook.office.com",),
    ),
    (
        "zapier_webhook",
        r"https://(?:www\.)?hooks\.zapier\.com/hooks/catch/\d+/[a-z0-9]+",
        ("hooks.zapier.com",),
    ),
    ("mattermost_webhook", r"https://[\w.-]+/hooks/[a-z0-9]{26}" + _ALNUM_END, ("/hooks/",)),
    # Payments and commerce
    (
        "stripe_key",
        r"(?:sk|rk)_(?:live|test|prod)_[0-9a-zA-Z]{10,99}" + _ALNUM_END,
        ("k_live_", "k_test_", "k_prod_"),
    ),
    ("stripe_webhook_secret", r"whsec_[A-Za-z0-9]{32,}" + _ALNUM_END, ("whsec_",)),
    (
        "square_token",
        r"(?:sq0atp-[0-9A-Za-z_-]{22}|sq0csp-[0-9A-Za-z_-]{43}|EAAA[\w-]{60})" + _TOKEN_END,
        ("sq0", "EAAA"),
    ),
    ("braintree_token", r"access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32}", ("access_token$",)),
    ("shopify_token", r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + _ALNUM_END, ("shp",)),
    ("razorpay_key", r"rzp_(?:live|test)_[A-Za-z0-9]{14}" + _ALNUM_END, ("rzp_",)),
    ("flutterwave_key", r"FLW(?:PUBK|SECK)_TEST-[a-h0-9]{32}-X|FLWSECK_TEST[a-h0-9]{12}", ("FLW",)),
    ("easypost_key", r"EZ[AT]K[a-z0-9]{54}" + _ALNUM_END, ("EZAK", "EZTK")),
    ("shippo_token", r"shippo_(?:live|test)_[a-fA-F0-9]{40}" + _ALNUM_END, ("shippo_",)),
    ("duffel_token", r"duffel_(?:test|live)_[\w=-]{43}" + _TOKEN_END, ("duffel_",)),
    ("plaid_token", r"access-(?:sandbox|development|production)-" + _UUID, ("access-",)),
    ("coinbase_key", r"organizations/" + _UUID + r"/apiKeys/" + _UUID, ("/apikeys/",)),
    ("amazon_mws_token", r"amzn\.mws\." + _UUID, ("amzn.mws.",)),
    # Email, messaging, marketing
    ("sendgrid_key", r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}" + _TOKEN_END, ("SG.",)),
    ("sendinblue_key", r"xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}" + _ALNUM_END, ("xkeysib-",)),
    ("mailgun_key", r"(?:key|pubkey)-[a-f0-9]{32}" + _ALNUM_END, ("key-",)),
    ("mailchimp_key", r"[0-9a-f]{32}-us\d{1,2}" + _ALNUM_END, ("-us",)),
    ("twilio_api_key", r"SK[0-9a-fA-F]{32}" + _ALNUM_END, ("SK",)),
    ("hubspot_token", r"pat-(?:na|eu)1-" + _UUID, ("pat-na1-", "pat-eu1-")),
    ("facebook_access_token", r"EAA[MC][A-Za-z0-9]{90,}" + _ALNUM_END, ("EAAM", "EAAC")),
    (
        "twitter_bearer_token",
        r"AAAAAAAAAAAAAAAAAAAAA(?P<secret>[A-Za-z0-9%]{30,})" + _ALNUM_END,
        ("AAAAAAAAAAAAAAAAAAAAA",),
    ),
    ("mapbox_token", r"[ps]k\.eyJ1Ijoi[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}" + _TOKEN_END, ("k.eyJ1Ijoi",)),
    ("maxmind_license_key", r"[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk" + _ALNUM_END, ("_mmk",)),
    # AI and data platforms
    (
        "huggingface_token",
        r"(?:hf|api_org)_(?=[a-z]*[A-Z])(?=[A-Z]*[a-z])[A-Za-z]{34}" + _ALNUM_END,
        ("hf_", "api_org_"),
    ),
    ("groq_api_key", r"gsk_[A-Za-z0-9]{52}" + _ALNUM_END, ("gsk_",)),
    ("perplexity_api_key", r"pplx-[A-Za-z0-9]{48}" + _ALNUM_END, ("pplx-",)),
    ("replicate_token", r"r8_[A-Za-z0-9]{37}" + _ALNUM_END, ("r8_",)),
    ("xai_api_key", r"xai-[A-Za-z0-9]{80}" + _ALNUM_END, ("xai-",)),
    ("openrouter_api_key", r"sk-or-v1-[a-f0-9]{64}" + _ALNUM_END, ("sk-or-",)),
    ("langsmith_api_key", r"lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}" + _ALNUM_END, ("lsv2_",)),
    ("pinecone_api_key", r"pcsk_[A-Za-z0-9_]{50,}" + _ALNUM_END, ("pcsk_",)),
    ("fireworks_api_key", r"fw_[A-Za-z0-9]{24}" + _ALNUM_END, ("fw_",)),
    ("databricks_token", r"dapi[a-f0-9]{32}(?:-\d)?" + _ALNUM_END, ("dapi",)),
    ("clickhouse_cloud_key", r"4b1d[A-Za-z0-9]{38}" + _ALNUM_END, ("4b1d",)),
    ("snowflake_pat", r"pat/[A-Za-z0-9_-]{60,}" + _TOKEN_END, ("pat/",)),
    ("adobe_client_secret", r"p8e-[A-Za-z0-9]{32}" + _ALNUM_END, ("p8e-",)),
    ("airtable_token", r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}" + _ALNUM_END, ("pat",)),
)


def prefixed_token_rules() -> list[SecretRule]:
    """A fresh :class:`PatternRule` per row of :data:`PREFIXED_FORMATS`."""
    return [
        PatternRule(kind, pattern, f"<SECRET_{kind.upper()}>", keywords)
        for kind, pattern, keywords in PREFIXED_FORMATS
    ]
