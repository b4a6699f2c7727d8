# Sourced by bin/chaos-run and bin/soak: runs one system-test class through Maven (building the
# service jars first) against a RabbitMQ node and a PostgreSQL cluster started for this run alone,
# on free ports in a temporary directory, so restarting them disturbs nobody else on the machine.
# POSIX sh; needs rabbitmq-server, initdb and pg_ctl installed (not running), run as root or as
# the user owning both installations.

editflow_free_port() {
  while :; do
    port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000 ))
    if [ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ]; then
      echo "$port"
      return
    fi
  done
}

# Runs "$@" as $1 when we are root (the servers refuse to run as root), else as ourselves.
editflow_as() {
  user=$1; shift
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

editflow_start_private_infra() {
  if ! command -v initdb >/dev/null 2>&1; then
    PATH=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1):$PATH
    export PATH
  fi
  EDITFLOW_INFRA_DIR=$(mktemp -d /tmp/editflow-infra.XXXXXX)
  chmod 755 "$EDITFLOW_INFRA_DIR"
  trap editflow_stop_private_infra EXIT
  trap 'exit 130' INT TERM

  mkdir "$EDITFLOW_INFRA_DIR/pg" "$EDITFLOW_INFRA_DIR/rabbit"
  [ "$(id -u)" = 0 ] && chown postgres "$EDITFLOW_INFRA_DIR/pg" && chown rabbitmq "$EDITFLOW_INFRA_DIR/rabbit"
  pg_port=$(editflow_free_port)
  EDITFLOW_TEST_PG_DATA=$EDITFLOW_INFRA_DIR/pg/data
  editflow_as postgres initdb -D "$EDITFLOW_TEST_PG_DATA" -A trust -U postgres >/dev/null
  editflow_as postgres pg_ctl -D "$EDITFLOW_TEST_PG_DATA" -l "$EDITFLOW_TEST_PG_DATA.log" -w \
    -o "-p $pg_port -k $EDITFLOW_INFRA_DIR/pg -c listen_addresses=127.0.0.1 -c max_connections=200" \
    start >/dev/null
  export EDITFLOW_TEST_PG_DATA EDITFLOW_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres"

  # rabbitmqctl, here and in the tests, finds the node through these variables.
  RABBITMQ_NODENAME=editflow-$(basename "$EDITFLOW_INFRA_DIR" | tr -cd 'a-zA-Z0-9')@localhost
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  RABBITMQ_NODE_PORT=$(editflow_free_port)
  RABBITMQ_DIST_PORT=$(editflow_free_port)
  RABBITMQ_CONFIG_FILE=$EDITFLOW_INFRA_DIR/rabbit/rabbitmq.conf
  RABBITMQ_CONF_ENV_FILE=$EDITFLOW_INFRA_DIR/rabbit/rabbitmq-env.conf
  RABBITMQ_ENABLED_PLUGINS_FILE=$EDITFLOW_INFRA_DIR/rabbit/enabled_plugins
  RABBITMQ_MNESIA_BASE=$EDITFLOW_INFRA_DIR/rabbit/mnesia
  RABBITMQ_LOG_BASE=$EDITFLOW_INFRA_DIR/rabbit/log
  RABBITMQ_PID_FILE=$EDITFLOW_INFRA_DIR/rabbit/pid
  export RABBITMQ_NODENAME RABBITMQ_NODE_IP_ADDRESS RABBITMQ_NODE_PORT RABBITMQ_DIST_PORT \
    RABBITMQ_CONFIG_FILE RABBITMQ_CONF_ENV_FILE RABBITMQ_ENABLED_PLUGINS_FILE \
    RABBITMQ_MNESIA_BASE RABBITMQ_LOG_BASE RABBITMQ_PID_FILE
  : > "$RABBITMQ_CONFIG_FILE"
  : > "$RABBITMQ_CONF_ENV_FILE"
  echo '[].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  [ "$(id -u)" = 0 ] && chown -R rabbitmq "$EDITFLOW_INFRA_DIR/rabbit"
  server=$(command -v rabbitmq-server)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && server=/usr/lib/rabbitmq/bin/rabbitmq-server
  editflow_as rabbitmq "$server" -detached
  rabbitmqctl -q wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null
  EDITFLOW_TEST_RABBIT_PORT=$RABBITMQ_NODE_PORT
  export EDITFLOW_TEST_RABBIT_PORT
  echo "Private RabbitMQ node $RABBITMQ_NODENAME on port $RABBITMQ_NODE_PORT and PostgreSQL on port $pg_port ($EDITFLOW_INFRA_DIR)"
}

editflow_stop_private_infra() {
  [ -n "${EDITFLOW_INFRA_DIR:-}" ] || return 0
  rabbitmqctl -q stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || true
  editflow_as postgres pg_ctl -D "$EDITFLOW_TEST_PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  mkdir -p system-tests/target/private-infra
  cp "$EDITFLOW_TEST_PG_DATA.log" system-tests/target/private-infra/postgresql.log 2>/dev/null || true
  cp "$RABBITMQ_LOG_BASE"/*.log system-tests/target/private-infra/ 2>/dev/null || true
  rm -rf "$EDITFLOW_INFRA_DIR"
  EDITFLOW_INFRA_DIR=
}

# editflow_run_system_test <TestClass> [maven arguments]: against the private services.
editflow_run_system_test() {
  test_class=$1; shift
  editflow_start_private_infra
  ./mvnw -B -pl system-tests -am verify \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test="$test_class" -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true "$@"
}
