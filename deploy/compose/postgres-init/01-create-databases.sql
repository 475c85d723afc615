-- One database per service (docker-entrypoint-initdb.d runs this on a fresh volume only).
CREATE DATABASE payments;
CREATE DATABASE packs;
CREATE DATABASE booking;
CREATE DATABASE notifications;
CREATE DATABASE video;
CREATE DATABASE search;
