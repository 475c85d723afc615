from packs.adapters.tables import metadata
from shared.messaging.tables import kernel_metadata
from shared.migrate import run_env

run_env(service="packs", target_metadata=[metadata, kernel_metadata])
