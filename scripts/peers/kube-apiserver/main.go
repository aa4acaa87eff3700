// Command kube-apiserver runs a real Kubernetes API server for CRDs
// (k8s.io/apiextensions-apiserver, backed by etcd) on loopback, for tests.
//
// It serves the API over plain HTTP on -listen, requiring the bearer token
// it writes to -info (JSON: {"url","token"}), and forwards every request to
// the apiserver with its privileged loopback credentials.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	testserver "k8s.io/apiextensions-apiserver/pkg/cmd/server/testing"
	"k8s.io/client-go/rest"
)

const fakeKubeconfig = `apiVersion: v1
kind: Config
clusters:
- cluster: {server: "http://127.1.2.3:12345"}
  name: none
contexts:
- context: {cluster: none, user: none}
  name: none
current-context: none
users:
- name: none
  user: {username: none, password: none}
`

type logger struct{}

func (logger) Errorf(f string, a ...interface{}) { log.Printf(f, a...) }
func (logger) Fatalf(f string, a ...interface{}) { log.Fatalf(f, a...) }
func (logger) Logf(f string, a ...interface{})   { log.Printf(f, a...) }

func main() {
	etcd := flag.String("etcd", "http://127.0.0.1:2379", "etcd servers")
	listen := flag.String("listen", "127.0.0.1:0", "plain HTTP address to serve on")
	info := flag.String("info", "", "file to write {url, token} to once ready")
	flag.Parse()

	// There is no kube-apiserver to delegate authn/authz to: point the
	// delegation at a dead address and skip lookups, as the upstream
	// integration tests do. Only the privileged loopback client is used.
	kubeconfig, err := os.CreateTemp("", "kubeconfig")
	if err != nil {
		log.Fatalf("kubeconfig: %v", err)
	}
	defer os.Remove(kubeconfig.Name())
	_, _ = kubeconfig.WriteString(fakeKubeconfig)
	_ = kubeconfig.Close()
	server, err := testserver.StartTestServer(logger{}, nil, []string{
		"--etcd-servers=" + *etcd,
		"--authentication-skip-lookup",
		"--authentication-kubeconfig", kubeconfig.Name(),
		"--authorization-kubeconfig", kubeconfig.Name(),
		"--kubeconfig", kubeconfig.Name(),
		"--enable-priority-and-fairness=false",
		"--disable-admission-plugins", "NamespaceLifecycle,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ValidatingAdmissionPolicy,MutatingAdmissionPolicy",
	}, nil)
	if err != nil {
		log.Fatalf("start: %v", err)
	}
	defer server.TearDownFn()

	transport, err := rest.TransportFor(server.ClientConfig)
	if err != nil {
		log.Fatalf("transport: %v", err)
	}
	target, _ := url.Parse(server.ClientConfig.Host)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = transport

	secret := make([]byte, 24)
	_, _ = rand.Read(secret)
	token := hex.EncodeToString(secret)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}`, http.StatusUnauthorized)
			return
		}
		r.Header.Del("Authorization")
		proxy.ServeHTTP(w, r)
	})

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	go func() { log.Fatal(http.Serve(ln, handler)) }()

	out, _ := json.Marshal(map[string]string{"url": "http://" + ln.Addr().String(), "token": token})
	if *info != "" {
		if err := os.WriteFile(*info+".tmp", out, 0o600); err != nil {
			log.Fatalf("info: %v", err)
		}
		_ = os.Rename(*info+".tmp", *info)
	}
	log.Printf("ready %s", out)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
}
