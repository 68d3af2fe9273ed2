# Build and install fer-cam. `make install PREFIX=/usr/local DESTDIR=` installs the
# binaries, the model, the cascade, the systemd unit, the config example and the
# logrotate file; `make uninstall` removes exactly those.
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
BINDIR := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/fer-cam
UNITDIR ?= $(SYSCONFDIR)/systemd/system

SWIFT_BUILD := swift build -c release

.PHONY: all build install uninstall test

all: build

build:
	$(SWIFT_BUILD) --product fer-cam
	$(SWIFT_BUILD) --product fer-train

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/models $(DESTDIR)$(DATADIR)/cascades \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/fer-cam $(DESTDIR)$(SYSCONFDIR)/logrotate.d
	install -m 0755 .build/release/fer-cam .build/release/fer-train $(DESTDIR)$(BINDIR)/
	install -m 0644 models/emotion-cnn.safetensors models/emotion-cnn.md $(DESTDIR)$(DATADIR)/models/
	install -m 0644 cascades/haarcascade_frontalface_default.xml $(DESTDIR)$(DATADIR)/cascades/
	sed 's#@BINDIR@#$(BINDIR)#g' systemd/fer-cam@.service > $(DESTDIR)$(UNITDIR)/fer-cam@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/fer-cam@.service
	install -m 0644 systemd/fer-cam.conf.example $(DESTDIR)$(SYSCONFDIR)/fer-cam/example.conf
	install -m 0644 systemd/fer-cam.logrotate $(DESTDIR)$(SYSCONFDIR)/logrotate.d/fer-cam

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fer-cam $(DESTDIR)$(BINDIR)/fer-train
	rm -f $(DESTDIR)$(DATADIR)/models/emotion-cnn.safetensors $(DESTDIR)$(DATADIR)/models/emotion-cnn.md
	rm -f $(DESTDIR)$(DATADIR)/cascades/haarcascade_frontalface_default.xml
	rmdir --ignore-fail-on-non-empty $(DESTDIR)$(DATADIR)/models $(DESTDIR)$(DATADIR)/cascades $(DESTDIR)$(DATADIR) 2>/dev/null || true
	rm -f $(DESTDIR)$(UNITDIR)/fer-cam@.service $(DESTDIR)$(SYSCONFDIR)/fer-cam/example.conf
	rm -f $(DESTDIR)$(SYSCONFDIR)/logrotate.d/fer-cam

test:
	scripts/test
