"""The control API: how tests, the demo and the local stack set up and steer the simulated Xero.

JSON in and out, snake_case fields; a bad input answers 400 `{"message": "..."}`, an unknown id 404.
Every path starts with /_sim, which no Xero path uses.

Setup (control/setup.py)
  POST   /_sim/apps                      {name, kind: web|pkce|custom_connection, redirect_uris, granular_only,
                                          webhook_url, tenant_id and scopes (custom_connection)}
                                          -> 201 app with client_id, client_secret, webhook_key
  GET    /_sim/apps                      -> {"apps": [...]}
  GET    /_sim/apps/{client_id}          -> the app and its webhook subscription
  POST   /_sim/users                     {email, first_name, last_name} -> 201 user with user_id
  GET    /_sim/users                     -> {"users": [...]}
  POST   /_sim/organisations             {name, country_code: AU|NZ|GB|US, user_ids} -> 201 with tenant_id
  GET    /_sim/organisations             -> {"organisations": [...]}
  GET    /_sim/organisations/{tenant_id} -> the organisation, its lock dates and record counts
  PUT    /_sim/organisations/{tenant_id}/lock-dates {period_lock_date, end_of_year_lock_date} (ISO date or null)
  POST   /_sim/connections               {client_id, user_id, tenant_ids, scopes}
                                          -> 201 {"connections": [...], "access_token": "..."}, a consent
                                          without the browser
  GET    /_sim/connections[?client_id=]  -> {"connections": [...]}
  DELETE /_sim/connections/{id}          disconnect from Xero's side -> the removed connection

Records (control/seeding.py, control/acting.py)
  POST   /_sim/organisations/{tenant_id}/seed {items, contacts, invoices, bills, credit_notes, payments: count
                                          or [records], seed} -> {"created": {kind: [ids]}, "errors": []}
  POST   /_sim/organisations/{tenant_id}/act  {method, path, body, query, headers, user_id}
                                          -> {"status": n, "body": Xero's answer}, as a Xero user in the web app

Webhooks (control/webhook_routes.py)
  PUT    /_sim/apps/{client_id}/webhook  {url} new URL; nothing is sent until Intent to Receive passes
  POST   /_sim/apps/{client_id}/webhook/intent-to-receive -> the ITR result; enables the webhook if it passed
  GET    /_sim/webhooks                  -> settings, paused, subscriptions, delivery faults, finished counts
  PUT    /_sim/webhooks/settings         {batch_window_seconds, max_batch_size, timeout_seconds}
  GET    /_sim/webhooks/deliveries[?client_id=] -> {"deliveries": [... with attempts ...]}
  POST   /_sim/webhooks/pause | /resume | /flush   flush -> {"posts": n}
  POST   /_sim/webhooks/faults           {kind: duplicate|reorder|delay|drop, ratio, count, client_id, seconds}
  GET    /_sim/webhooks/faults           -> {"faults": [...]}
  DELETE /_sim/webhooks/faults[?seed=]   clear them

Conditions (control/conditions.py)
  POST   /_sim/faults                    {kind: error_500|maintenance_503|latency|timeout|lose_response, ratio,
                                          count, method, path_contains, tenant_id, seconds}
  GET    /_sim/faults                    -> {"faults": [...]}
  DELETE /_sim/faults[?seed=]            clear them
  GET    /_sim/limits                    -> {concurrent, per_minute, per_day, app_per_minute}
  PUT    /_sim/limits                    any of those fields -> the new limits
  POST   /_sim/limits/reset              forget every rate-limit window and in-flight count
  GET    /_sim/clock                     -> {now, scale}
  POST   /_sim/clock/advance             {seconds} -> {now, scale}
  PUT    /_sim/clock/scale               {scale} -> {now, scale}

State (control/state.py)
  GET    /_sim/counters                  -> the counters' snapshot plus "webhooks" stats
  POST   /_sim/counters/reset
  POST   /_sim/reset                     {keep_apps: true} forget users, organisations, connections, faults,
                                          limits' windows, idempotency keys, counters and webhook traffic
"""

from __future__ import annotations

import importlib

# Each module registers its routes on `xero_simulator.plain_routes.control` when imported.
for _module in (
    "xero_simulator.control.setup",
    "xero_simulator.control.acting",
    "xero_simulator.control.seeding",
    "xero_simulator.control.webhook_routes",
    "xero_simulator.control.conditions",
    "xero_simulator.control.state",
):
    importlib.import_module(_module)
