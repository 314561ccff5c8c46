//! The field names of each level of a workload, written by the test
//! `model::fields::tests::the_table_is_the_types_fields` from the `k8s-openapi` types
//! (`KUBEVET_WRITE_FIELDS=1 cargo test the_table_is_the_types_fields` rewrites it).
//! Do not edit.

use super::fields::Member;

/// Each field set by name, its field names sorted.
pub const SETS: &[(&str, &[&str])] = &[
    ("object_meta", &["annotations", "creationTimestamp", "deletionGracePeriodSeconds", "deletionTimestamp", "finalizers", "generateName", "generation", "labels", "managedFields", "name", "namespace", "ownerReferences", "resourceVersion", "selfLink", "uid"]),
    ("pod_template", &["metadata", "spec"]),
    ("job_template", &["metadata", "spec"]),
    ("pod_spec", &["activeDeadlineSeconds", "affinity", "automountServiceAccountToken", "containers", "dnsConfig", "dnsPolicy", "enableServiceLinks", "ephemeralContainers", "evictionResponders", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostUsers", "hostname", "hostnameOverride", "imagePullSecrets", "initContainers", "nodeName", "nodeSelector", "os", "overhead", "preemptionPolicy", "priority", "priorityClassName", "readinessGates", "resourceClaims", "resources", "restartPolicy", "runtimeClassName", "schedulerName", "schedulingGates", "schedulingGroup", "securityContext", "serviceAccount", "serviceAccountName", "setHostnameAsFQDN", "shareProcessNamespace", "subdomain", "terminationGracePeriodSeconds", "tolerations", "topologySpreadConstraints", "volumes"]),
    ("container", &["args", "command", "env", "envFrom", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "name", "ports", "readinessProbe", "resizePolicy", "resources", "restartPolicy", "restartPolicyRules", "securityContext", "startupProbe", "stdin", "stdinOnce", "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices", "volumeMounts", "workingDir"]),
    ("ephemeral_container", &["args", "command", "env", "envFrom", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "name", "ports", "readinessProbe", "resizePolicy", "resources", "restartPolicy", "restartPolicyRules", "securityContext", "startupProbe", "stdin", "stdinOnce", "targetContainerName", "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices", "volumeMounts", "workingDir"]),
    ("probe", &["exec", "failureThreshold", "grpc", "httpGet", "initialDelaySeconds", "periodSeconds", "successThreshold", "tcpSocket", "terminationGracePeriodSeconds", "timeoutSeconds"]),
    ("pod_security", &["appArmorProfile", "fsGroup", "fsGroupChangePolicy", "runAsGroup", "runAsNonRoot", "runAsUser", "seLinuxChangePolicy", "seLinuxOptions", "seccompProfile", "supplementalGroups", "supplementalGroupsPolicy", "sysctls", "windowsOptions"]),
    ("container_security", &["allowPrivilegeEscalation", "appArmorProfile", "capabilities", "privileged", "procMount", "readOnlyRootFilesystem", "runAsGroup", "runAsNonRoot", "runAsUser", "seLinuxOptions", "seccompProfile", "windowsOptions"]),
    ("volume", &["awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", "hostPath", "image", "iscsi", "name", "nfs", "persistentVolumeClaim", "photonPersistentDisk", "portworxVolume", "projected", "quobyte", "rbd", "scaleIO", "secret", "storageos", "vsphereVolume"]),
    ("volume_mount", &["bindMountOptions", "mountPath", "mountPropagation", "name", "readOnly", "recursiveReadOnly", "subPath", "subPathExpr"]),
    ("env_var", &["name", "value", "valueFrom"]),
    ("env_var_source", &["configMapKeyRef", "fieldRef", "fileKeyRef", "resourceFieldRef", "secretKeyRef"]),
    ("container_port", &["containerPort", "hostIP", "hostPort", "name", "protocol"]),
    ("projected_volume", &["defaultMode", "defaultUser", "sources"]),
    ("volume_projection", &["clusterTrustBundle", "configMap", "downwardAPI", "podCertificate", "secret", "serviceAccountToken"]),
    ("deployment", &["minReadySeconds", "paused", "progressDeadlineSeconds", "replicas", "revisionHistoryLimit", "selector", "strategy", "template"]),
    ("stateful_set", &["minReadySeconds", "ordinals", "persistentVolumeClaimRetentionPolicy", "podManagementPolicy", "replicas", "revisionHistoryLimit", "selector", "serviceName", "template", "updateStrategy", "volumeClaimTemplates"]),
    ("daemon_set", &["minReadySeconds", "revisionHistoryLimit", "selector", "template", "updateStrategy"]),
    ("replica_set", &["minReadySeconds", "replicas", "selector", "template"]),
    ("replication_controller", &["minReadySeconds", "replicas", "selector", "template"]),
    ("job", &["activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex", "completionMode", "completions", "managedBy", "manualSelector", "maxFailedIndexes", "parallelism", "podFailurePolicy", "podReplacementPolicy", "scheduling", "selector", "successPolicy", "suspend", "template", "ttlSecondsAfterFinished"]),
    ("cron_job", &["concurrencyPolicy", "failedJobsHistoryLimit", "jobTemplate", "schedule", "startingDeadlineSeconds", "successfulJobsHistoryLimit", "suspend", "timeZone"]),
    ("weighted_pod_affinity_term", &["podAffinityTerm", "weight"]),
    ("pod_affinity_term", &["labelSelector", "matchLabelKeys", "mismatchLabelKeys", "namespaceSelector", "namespaces", "topologyKey"]),
    ("preferred_scheduling_term", &["preference", "weight"]),
    ("node_selector_term", &["matchExpressions", "matchFields"]),
];

/// Each family by name: its members' keys, definitions and field names.
pub const FAMILIES: &[(&str, &[Member])] = &[
    (
        "probe_handlers",
        &[
            ("exec", "io.k8s.api.core.v1.ExecAction", &["command"]),
            ("grpc", "io.k8s.api.core.v1.GRPCAction", &["mode", "port", "service"]),
            ("httpGet", "io.k8s.api.core.v1.HTTPGetAction", &["host", "httpHeaders", "path", "port", "protocol", "scheme"]),
            ("tcpSocket", "io.k8s.api.core.v1.TCPSocketAction", &["host", "port"]),
        ],
    ),
    (
        "volume_sources",
        &[
            ("awsElasticBlockStore", "io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource", &["fsType", "partition", "readOnly", "volumeID"]),
            ("azureDisk", "io.k8s.api.core.v1.AzureDiskVolumeSource", &["cachingMode", "diskName", "diskURI", "fsType", "kind", "readOnly"]),
            ("azureFile", "io.k8s.api.core.v1.AzureFileVolumeSource", &["readOnly", "secretName", "shareName"]),
            ("cephfs", "io.k8s.api.core.v1.CephFSVolumeSource", &["monitors", "path", "readOnly", "secretFile", "secretRef", "user"]),
            ("cinder", "io.k8s.api.core.v1.CinderVolumeSource", &["fsType", "readOnly", "secretRef", "volumeID"]),
            ("configMap", "io.k8s.api.core.v1.ConfigMapVolumeSource", &["defaultMode", "defaultUser", "items", "name", "optional"]),
            ("csi", "io.k8s.api.core.v1.CSIVolumeSource", &["driver", "fsType", "nodePublishSecretRef", "readOnly", "volumeAttributes"]),
            ("downwardAPI", "io.k8s.api.core.v1.DownwardAPIVolumeSource", &["defaultMode", "defaultUser", "items"]),
            ("emptyDir", "io.k8s.api.core.v1.EmptyDirVolumeSource", &["medium", "mode", "sizeLimit"]),
            ("ephemeral", "io.k8s.api.core.v1.EphemeralVolumeSource", &["volumeClaimTemplate"]),
            ("fc", "io.k8s.api.core.v1.FCVolumeSource", &["fsType", "lun", "readOnly", "targetWWNs", "wwids"]),
            ("flexVolume", "io.k8s.api.core.v1.FlexVolumeSource", &["driver", "fsType", "options", "readOnly", "secretRef"]),
            ("flocker", "io.k8s.api.core.v1.FlockerVolumeSource", &["datasetName", "datasetUUID"]),
            ("gcePersistentDisk", "io.k8s.api.core.v1.GCEPersistentDiskVolumeSource", &["fsType", "partition", "pdName", "readOnly"]),
            ("gitRepo", "io.k8s.api.core.v1.GitRepoVolumeSource", &["directory", "repository", "revision"]),
            ("glusterfs", "io.k8s.api.core.v1.GlusterfsVolumeSource", &["endpoints", "path", "readOnly"]),
            ("hostPath", "io.k8s.api.core.v1.HostPathVolumeSource", &["path", "type"]),
            ("image", "io.k8s.api.core.v1.ImageVolumeSource", &["pullPolicy", "reference"]),
            ("iscsi", "io.k8s.api.core.v1.ISCSIVolumeSource", &["chapAuthDiscovery", "chapAuthSession", "fsType", "initiatorName", "iqn", "iscsiInterface", "lun", "portals", "readOnly", "secretRef", "targetPortal"]),
            ("nfs", "io.k8s.api.core.v1.NFSVolumeSource", &["path", "readOnly", "server"]),
            ("persistentVolumeClaim", "io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource", &["claimName", "readOnly"]),
            ("photonPersistentDisk", "io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource", &["fsType", "pdID"]),
            ("portworxVolume", "io.k8s.api.core.v1.PortworxVolumeSource", &["fsType", "readOnly", "volumeID"]),
            ("projected", "io.k8s.api.core.v1.ProjectedVolumeSource", &["defaultMode", "defaultUser", "sources"]),
            ("quobyte", "io.k8s.api.core.v1.QuobyteVolumeSource", &["group", "readOnly", "registry", "tenant", "user", "volume"]),
            ("rbd", "io.k8s.api.core.v1.RBDVolumeSource", &["fsType", "image", "keyring", "monitors", "pool", "readOnly", "secretRef", "user"]),
            ("scaleIO", "io.k8s.api.core.v1.ScaleIOVolumeSource", &["fsType", "gateway", "protectionDomain", "readOnly", "secretRef", "sslEnabled", "storageMode", "storagePool", "system", "volumeName"]),
            ("secret", "io.k8s.api.core.v1.SecretVolumeSource", &["defaultMode", "defaultUser", "items", "optional", "secretName"]),
            ("storageos", "io.k8s.api.core.v1.StorageOSVolumeSource", &["fsType", "readOnly", "secretRef", "volumeName", "volumeNamespace"]),
            ("vsphereVolume", "io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource", &["fsType", "storagePolicyID", "storagePolicyName", "volumePath"]),
        ],
    ),
    (
        "projection_sources",
        &[
            ("clusterTrustBundle", "io.k8s.api.core.v1.ClusterTrustBundleProjection", &["labelSelector", "name", "optional", "path", "signerName", "user"]),
            ("configMap", "io.k8s.api.core.v1.ConfigMapProjection", &["items", "name", "optional"]),
            ("downwardAPI", "io.k8s.api.core.v1.DownwardAPIProjection", &["items"]),
            ("podCertificate", "io.k8s.api.core.v1.PodCertificateProjection", &["certificateChainPath", "credentialBundlePath", "keyPath", "keyType", "maxExpirationSeconds", "signerName", "user", "userAnnotations"]),
            ("secret", "io.k8s.api.core.v1.SecretProjection", &["items", "name", "optional"]),
            ("serviceAccountToken", "io.k8s.api.core.v1.ServiceAccountTokenProjection", &["audience", "expirationSeconds", "path", "user"]),
        ],
    ),
];
