from shared.messaging.tables import kernel_metadata
from shared.migrate import run_env
from video.adapters.tables import metadata

run_env(service="video", target_metadata=[metadata, kernel_metadata])
