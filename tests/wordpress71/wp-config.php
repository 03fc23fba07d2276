<?php
// wp-config.php of the WordPress 7.1 test sites (tests/wordpress71/wp71server.py): one
// cached docroot serves every site; the database, its socket and the home URL come from
// the environment of the `php -S` process (or of seed.php).
define( 'DB_NAME', getenv( 'MPCRAWL_WP_DB' ) );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', 'localhost:' . getenv( 'MPCRAWL_WP_SOCKET' ) );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'WP_HOME', getenv( 'MPCRAWL_WP_HOME' ) );
define( 'WP_SITEURL', getenv( 'MPCRAWL_WP_HOME' ) );
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $mpcrawl_key ) {
	define( $mpcrawl_key, hash( 'sha256', $mpcrawl_key ) );
}
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'WP_DEBUG', false );
$table_prefix = 'wp_';
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
