#!/usr/bin/env python3
"""Generate a reproducible corpus of Kubernetes manifest files for benchmarks.

Seeds are the public manifests in ../shared/corpus/public (those PyYAML can load, so every
peer can read every generated file). Each generated file is one seed document or several
joined as a multi-document stream, with seeded mistakes mixed in (an untagged image, a
misspelt field, a pod-level field inside a container, a removed apiVersion), so the rules
and the schema errors are exercised, not only the happy path.

With `--profile small`, each file is one object of a typical application repository instead:
a Deployment, a Service, a ConfigMap, an Ingress or RBAC (a Role and its RoleBinding), about
4 KB each, generated (no seeds needed) with the same kind of seeded mistakes.

Usage: bench/generate.py OUT_DIR N [--seed S] [--seed-dir DIR] [--profile mixed|small]
"""
import argparse, os, random, sys
import yaml

def seeds(seed_dir):
    docs = []
    for root, _, files in os.walk(seed_dir):
        for f in sorted(files):
            if not f.endswith((".yaml", ".yml")):
                continue
            p = os.path.join(root, f)
            try:
                text = open(p, encoding="utf-8").read()
                if "{{" in text:
                    continue
                loaded = [d for d in yaml.load_all(text, Loader=yaml.CSafeLoader) if isinstance(d, dict) and "kind" in d]
            except Exception:
                continue
            # Keep the source text of each document so comments and layout are realistic.
            parts = [p for p in text.split("\n---") if p.strip()]
            if len(parts) == len(loaded):
                docs.extend(part.strip("\n") + "\n" for part in parts)
    docs.sort()
    return docs

MISTAKES = [
    ("restartPolicy: Always", "restartPolicy: OnFailure"),
    (":latest", ""),
    ("imagePullPolicy:", "imagePullpolicy:"),
    ("containerPort:", "containerport:"),
    ("apiVersion: apps/v1\n", "apiVersion: apps/v1beta2\n"),
]

def mutate(doc, rng):
    if rng.random() < 0.15:
        old, new = rng.choice(MISTAKES)
        if old in doc:
            return doc.replace(old, new, 1)
    return doc

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: shop
    app.kubernetes.io/version: "{ver}"
  annotations:
    deployment.kubernetes.io/revision: "{rev}"
spec:
  replicas: {replicas}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
        app.kubernetes.io/part-of: shop
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "{port}"
    spec:
      serviceAccountName: {name}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        fsGroup: 10001
        seccompProfile: {{type: RuntimeDefault}}
      terminationGracePeriodSeconds: 30
      containers:
      - name: {name}
        image: registry.example.com/shop/{name}:{ver}
        imagePullPolicy: IfNotPresent
        args: ["--port={port}", "--log-level=info", "--metrics"]
        ports:
        - name: http
          containerPort: {port}
          protocol: TCP
        env:
        - name: SERVICE_NAME
          value: {name}
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef: {{fieldPath: metadata.namespace}}
        - name: DATABASE_URL
          valueFrom:
            secretKeyRef: {{name: {name}-db, key: url}}
        envFrom:
        - configMapRef: {{name: {name}-config}}
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: "1", memory: 512Mi}}
        readinessProbe:
          httpGet: {{path: /ready, port: http}}
          periodSeconds: 5
        livenessProbe:
          httpGet: {{path: /healthz, port: http}}
          initialDelaySeconds: 10
          periodSeconds: 10
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {{drop: [ALL]}}
        volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: config
          mountPath: /etc/{name}
          readOnly: true
      - name: proxy
        image: registry.example.com/shop/envoy:1.31.{rev}
        imagePullPolicy: IfNotPresent
        args: ["--config-path", "/etc/envoy/envoy.yaml", "--log-level", "warn"]
        ports:
        - name: proxy
          containerPort: 15001
        - name: admin
          containerPort: 15000
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef: {{fieldPath: metadata.name}}
        - name: POD_IP
          valueFrom:
            fieldRef: {{fieldPath: status.podIP}}
        resources:
          requests: {{cpu: 50m, memory: 64Mi}}
          limits: {{cpu: 500m, memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /ready, port: admin}}
        livenessProbe:
          tcpSocket: {{port: proxy}}
          periodSeconds: 20
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsUser: 1337
          capabilities: {{drop: [ALL]}}
        volumeMounts:
        - name: envoy
          mountPath: /etc/envoy
          readOnly: true
      volumes:
      - name: envoy
        configMap: {{name: {name}-envoy}}
      - name: tmp
        emptyDir: {{}}
      - name: config
        configMap:
          name: {name}-config
          defaultMode: 0644
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels:
                  app.kubernetes.io/name: {name}
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels:
            app.kubernetes.io/name: {name}
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: shop
  annotations:
    service.beta.kubernetes.io/description: "Front door of {name}: routes HTTP on port 80 to the pods' named port."
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: {name}
  ports:
  - name: http
    port: 80
    targetPort: http
    protocol: TCP
  - name: metrics
    port: 9090
    targetPort: {port}
    protocol: TCP
  sessionAffinity: None
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "checkout,recommendations,reviews"
  CACHE_TTL: "300"
  config.yaml: |
    server:
      port: {port}
      readTimeout: 15s
      writeTimeout: 15s
    database:
      pool: 20
      timeout: 5s
    cache:
      size: 1024
      ttl: 300s
    upstreams:
{upstreams}
"""

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
  - hosts: [{name}.shop.example.com]
    secretName: {name}-tls
  rules:
  - host: {name}.shop.example.com
    http:
      paths:
{paths}
"""

RBAC = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
rules:
- apiGroups: [""]
  resources: [configmaps, secrets]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, create, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {name}
subjects:
- kind: ServiceAccount
  name: {name}
  namespace: {ns}
"""

SMALL_MISTAKES = MISTAKES + [
    ("imagePullPolicy: IfNotPresent", "imagepullpolicy: IfNotPresent"),
    ("readOnly: true", "readonly: true"),
]

def small(i, rng):
    name = f"svc{i % 397:03d}"
    ns = rng.choice(["shop", "payments", "catalog", "default"])
    fields = dict(name=name, ns=ns, ver=f"1.{i % 17}.{i % 5}", rev=i % 40 + 1,
                  replicas=rng.choice([2, 3, 5]), port=8000 + i % 100)
    kind = rng.choice(["deployment", "deployment", "service", "configmap", "ingress", "rbac"])
    if kind == "deployment":
        text = DEPLOYMENT.format(**fields)
    elif kind == "service":
        text = SERVICE.format(**fields)
    elif kind == "configmap":
        ups = "".join(f"      - name: upstream{j}\n        url: http://upstream{j}.{ns}.svc:8080\n        weight: {j + 1}\n" for j in range(rng.choice([40, 60, 80])))
        text = CONFIGMAP.format(upstreams=ups, **fields)
    elif kind == "ingress":
        paths = "".join(f"      - path: /api/v{j}\n        pathType: Prefix\n        backend:\n          service:\n            name: {name}\n            port: {{name: http}}\n" for j in range(rng.choice([20, 30, 40])))
        text = INGRESS.format(paths=paths, **fields)
    else:
        text = RBAC.format(**fields)
    if rng.random() < 0.15:
        old, new = rng.choice(SMALL_MISTAKES)
        if old in text:
            text = text.replace(old, new, 1)
    return text

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=42)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--seed-dir", default=os.path.join(here, "..", "..", "shared", "corpus", "public"))
    ap.add_argument("--profile", choices=["mixed", "small"], default="mixed")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pool = seeds(a.seed_dir) if a.profile == "mixed" else []
    if a.profile == "mixed" and not pool:
        sys.exit("no seed manifests found")
    os.makedirs(a.out, exist_ok=True)
    total = 0
    for i in range(a.n):
        if a.profile == "small":
            text = small(i, rng)
        else:
            k = rng.choice([1, 1, 1, 2, 3, 5])
            docs = [mutate(rng.choice(pool), rng) for _ in range(k)]
            text = "---\n".join(docs)
        sub = os.path.join(a.out, f"d{i % 100:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"m{i:05d}.yaml"), "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode())
    source = f"from {len(pool)} seed documents" if pool else "small single-object files"
    print(f"{a.n} files, {total / 1e6:.1f} MB, {source} (seed {a.seed})")

main()
