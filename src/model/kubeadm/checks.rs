//! The static checks of `kubeadm config validate`.
